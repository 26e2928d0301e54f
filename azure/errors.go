package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/daasflex/daasflex/flex"
)

// responseError is the cause of a *flex.Error for an answer of Azure's: it
// prints the error code and message in one line and unwraps to the
// *azcore.ResponseError, so that errors.As reaches it.
type responseError struct {
	code    string
	message string
	status  int
	err     *azcore.ResponseError
}

func (e *responseError) Error() string {
	s := e.code
	if s == "" {
		s = http.StatusText(e.status)
	}
	s += " (HTTP " + strconv.Itoa(e.status) + ")"
	if e.message != "" {
		s += ": " + e.message
	}
	return s
}

func (e *responseError) Unwrap() error { return e.err }

// Capacity codes: the region has no room for the size (CAT-14 falls back
// on the backup size).
var capacityCodes = map[string]bool{
	"skunotavailable":                       true,
	"allocationfailed":                      true,
	"zonalallocationfailed":                 true,
	"overconstrainedallocationrequest":      true,
	"overconstrainedzonalallocationrequest": true,
	"notavailableforsubscription":           true,
}

// Conflict codes: refused because of what the cloud holds, whatever status
// Azure answers with (some of these come with 400).
var conflictCodes = map[string]bool{
	"anotheroperationinprogress":                    true,
	"conflict":                                      true,
	"conflictingdiskname":                           true,
	"subnetisfull":                                  true,
	"propertychangenotallowed":                      true,
	"operationnotallowed":                           true,
	"resourcegroupbeingdeleted":                     true,
	"inusesubnetcannotbedeleted":                    true,
	"operationnotallowedonvmstate":                  true,
	"vnetaddressspaceoverlapswithalreadypeeredvnet": true,
	"virtualnetworkgatewaycannotbedeleted":          true,
}

// Not-found codes.
var notFoundCodes = map[string]bool{
	"resourcenotfound":       true,
	"resourcegroupnotfound":  true,
	"notfound":               true,
	"parentresourcenotfound": true,
	"subscriptionnotfound":   true,
}

// Limit codes: a quota of the subscription.
var limitCodes = map[string]bool{
	"quotaexceeded":                    true,
	"operationnotallowedquotaexceeded": true,
	"publicipcountlimitreached":        true,
}

// kindOf returns the flex kind of an answer of Azure's, by error code
// first and then by HTTP status.
func kindOf(status int, code string) error {
	c := strings.ToLower(code)
	switch {
	case capacityCodes[c]:
		return flex.ErrCapacity
	case limitCodes[c]:
		return flex.ErrLimit
	case notFoundCodes[c]:
		return flex.ErrNotFound
	case conflictCodes[c], strings.HasPrefix(c, "inuse"), strings.HasSuffix(c, "inuse"),
		strings.Contains(c, "cannotbedeleted"), strings.Contains(c, "overlap"):
		return flex.ErrConflict
	case c == "authorizationfailed" || c == "linkedauthorizationfailed":
		return flex.ErrPrecondition
	}
	switch {
	case status == http.StatusNotFound:
		return flex.ErrNotFound
	case status == http.StatusConflict || status == http.StatusPreconditionFailed:
		return flex.ErrConflict
	case status == http.StatusTooManyRequests:
		return flex.ErrThrottled
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return flex.ErrPrecondition
	case status >= 500 || status == http.StatusRequestTimeout:
		return flex.ErrUnavailable
	}
	return flex.ErrInvalid
}

// retryAfter reads how long Azure asked the caller to wait.
func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	for _, h := range []string{"retry-after-ms", "x-ms-retry-after-ms"} {
		if v := resp.Header.Get(h); v != "" {
			if ms, err := strconv.Atoi(v); err == nil && ms > 0 {
				return time.Duration(ms) * time.Millisecond
			}
		}
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// errorMessage reads the message of an ARM error body,
// {"error":{"code":…,"message":…}}.
func errorMessage(resp *http.Response) string {
	if resp == nil {
		return ""
	}
	body, err := runtime.Payload(resp)
	if err != nil || len(body) == 0 {
		return ""
	}
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	if e.Error.Message != "" {
		return e.Error.Message
	}
	return e.Message
}

// wrap turns an error of the SDK into a *flex.Error of the right kind for
// operation op on the resource id. Context errors pass through untouched;
// an *azcore.ResponseError stays reachable with errors.As.
func wrap(op string, id flex.ResourceID, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var fe *flex.Error
	if errors.As(err, &fe) {
		return err
	}
	object := id.String()
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		e := &responseError{code: re.ErrorCode, status: re.StatusCode, err: re, message: errorMessage(re.RawResponse)}
		kind := kindOf(re.StatusCode, re.ErrorCode)
		fe := &flex.Error{Kind: kind, Op: op, Object: object, Err: e}
		if kind == flex.ErrThrottled {
			fe.RetryAfter = retryAfter(re.RawResponse)
		}
		return fe
	}
	// No answer from Azure: the transport failed after the retries.
	return &flex.Error{Kind: flex.ErrUnavailable, Op: op, Object: object, Err: fmt.Errorf("no answer from Azure: %w", err)}
}

// isNotFound reports whether err is Azure's 404 (or a not-found code).
func isNotFound(err error) bool {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return kindOf(re.StatusCode, re.ErrorCode) == flex.ErrNotFound
	}
	return errors.Is(err, flex.ErrNotFound)
}
