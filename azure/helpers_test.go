package azure_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/daasflex/daasflex/azure"
	"github.com/daasflex/daasflex/azure/internal/armsim"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
)

const sub = "00000000-0000-0000-0000-000000000001"

// testOptions are the provider options of the hermetic tests: the given
// transport, polling every millisecond and quick retries.
func testOptions(tr policy.Transporter) *azure.Options {
	return &azure.Options{
		ClientOptions: arm.ClientOptions{ClientOptions: policy.ClientOptions{
			Transport: tr,
			Retry:     policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond, MaxRetryDelay: 50 * time.Millisecond},
		}},
		PollFrequency: time.Millisecond,
	}
}

// newProvider returns an azure provider over a new simulated cloud, and
// the cloud.
func newProvider(t testing.TB, opts ...fake.Option) (*azure.Provider, *fake.Cloud) {
	t.Helper()
	cloud := fake.New(opts...)
	p, err := azure.New(sub, &azfake.TokenCredential{}, testOptions(armsim.Transport(cloud)))
	if err != nil {
		t.Fatal(err)
	}
	return p, cloud
}

// wrapped returns a provider whose transport is wrap(the simulator's).
func wrapped(t testing.TB, cloud flex.Provider, wrap func(policy.Transporter) policy.Transporter) *azure.Provider {
	t.Helper()
	p, err := azure.New(sub, &azfake.TokenCredential{}, testOptions(wrap(armsim.Transport(cloud))))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }
