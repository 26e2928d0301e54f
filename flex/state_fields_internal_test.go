package flex

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStateCoversEveryField guards the state document against new fields:
// every field of the Tenant's object records is either saved, derived on
// Load from what is saved, or runtime only (locks, work in flight, which
// Save refuses). A field added to a record fails this test until Save and
// Load handle it and it is listed here.
func TestStateCoversEveryField(t *testing.T) {
	for _, tc := range []struct {
		v      any
		fields []string
	}{
		{subscription{}, []string{"name", "azureID", "pending"}},
		{connection{}, []string{"name", "sub", "azureID", "kind", "region", "managed", "owner", "group", "spec", "status",
			"busy", "gone", "ready", "ranges", "vdaRanges", "connected", "routeOK", "natOK", "autoNAT", "natIP", "gatewayIP",
			"warnings", "alloc", "subnets", "net", "vnet"}},
		{subnetUse{}, []string{"connSubnet", "owner", "domainJoined"}},
		{connSubnet{}, []string{"VNet", "Name", "Prefix", "NSG"}},
		{cmKey{}, []string{"name", "sub", "region", "id", "source", "version", "created", "period", "busy", "gone"}},
		{imageObj{}, []string{"img", "id", "sub", "azureID", "region", "conn", "c", "created", "managed", "key", "keyName",
			"builder", "busy", "source", "failure"}},
		{builder{}, []string{"vm", "size", "username", "addr", "rdp", "subnet", "hasSubnet", "registered", "power", "rootChanged"}},
		{bastionObj{}, []string{"sub", "azureID", "conn", "c", "catalog", "username", "source", "size", "vm", "addr", "subnet",
			"hasSubnet", "registered", "power", "created", "poweredOn", "busy", "failure"}},
		{rdpObj{}, []string{"sub", "conn", "catalog", "c", "source", "enabled", "busy"}},
		{activity{}, []string{"Activity", "log"}},
		{catalogObj{}, []string{"name", "subscription", "azureID", "connection", "conn", "region", "persona", "mt", "domain",
			"adDomain", "adOU", "connectivity", "schedule", "secureBoot", "img", "image", "imgRef", "sizes", "scheme", "next",
			"pending", "users", "vdaCount", "location", "group", "subnets", "status", "failure", "principals", "members", "apps",
			"schedules", "schedFrom", "warnings", "created", "machines", "byName"}},
		{machineObj{}, []string{"m", "size", "addr", "slot", "busy", "pendingImage", "updateAt", "snapshots"}},
		{snapshotObj{}, []string{"s", "id", "incremental"}},
		{locationObj{}, []string{"id", "name", "subscription", "azureID", "connection", "conn", "region", "prefix", "domains",
			"domainNames", "catalogs", "pending", "deleting", "busy", "group", "groups", "lastGroup", "lastOU", "connectors",
			"planned", "subnets", "nextConn", "connectivity", "updates", "pendingVer", "published"}},
		{connectorObj{}, []string{"name", "vm", "zone", "size", "state", "addr", "version", "health", "proxy", "subnet"}},
		{subnetSlot{}, []string{"s", "used"}},
		{Tenant{}, []string{"id", "provider", "now", "workers", "progress", "logger", "rnd", "wait", "owner", "limits", "ledger",
			"limitsErr", "mu", "subs", "catalogState", "connState", "imaging", "persistence"}},
		{catalogState{}, []string{"catalogs", "locations"}},
		{connState{}, []string{"conns", "flexSpace", "cmKeys"}},
		{imaging{}, []string{"images", "bastions", "rdpAccess", "activities"}},
	} {
		typ := reflect.TypeOf(tc.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if diff := cmp.Diff(tc.fields, got); diff != "" {
			t.Errorf("the fields of %v changed; make Save and Load keep them, then list them here (-known +now):\n%s", typ, diff)
		}
	}
}
