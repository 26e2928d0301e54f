package flex

// cmKey is a customer-managed key (KEY-1).
type cmKey struct{}
