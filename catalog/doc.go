// Package catalog models the catalogs of DaaS Flex: the groups of identical
// machines that deliver desktops and apps to a set of users.
//
// It holds everything an administrator configures about a catalog as values
// with validation and state machines, free of I/O, so that the Tenant only
// orchestrates:
//
//   - Spec, the Create catalog form: persona and machine type (CAT-1), users
//     (CAT-2), subscription, connection and region (REG-1, REG-2), domain
//     configuration through the machine identity table (IDN-1…IDN-5),
//     naming scheme (NAM-*), resource location and connectivity (CAT-3),
//     image (IMG-8, LIC-1), work schedule and autoscale (CAT-4), Secure Boot,
//     VM and backup sizes (CAT-14) and name (CAT-5). Spec.Validate reports
//     every problem at once and returns warnings (IDN-5, NET-12) apart.
//   - Status, the catalog's state (API-1) and the lock of CAT-6: while an
//     operation such as adding machines runs, no other change starts.
//   - Machine, the machine state machine (CAT-8, AZ-8, CAT-13) and Summarize
//     (MON-1).
//   - PlanImageUpdate (CAT-7), Apps (CAT-10), CommandLine with
//     BuildCommandLine and ParseCommandLine (CAT-11), Principals (CAT-9),
//     snapshots, schedules and restores (CAT-13, API-5), DeleteAck (CAT-12),
//     SpreadZones (CAT-15), Sizes.Choose (CAT-14) and CheckRemoteAccess
//     (TRB-1).
//
// The smallest use validates a catalog against the facts of its connection:
//
//	warnings, err := spec.Validate(catalog.Connection{
//		Name: "corp-peering", Kind: network.KindVnetPeering,
//		Region: network.WestEurope, HasInternetRoute: true, Usable: true,
//	})
//	if err != nil {
//		return err // every problem, one per line, each naming its rule
//	}
//	for _, w := range warnings {
//		log.Print(w) // IDN-5, NET-12: advice that does not block
//	}
//
// # Command lines
//
// Published apps' command lines follow the rules by which Windows splits a
// command line (CommandLineToArgvW): the path comes first, in double quotes
// when it holds a space, with backslashes taken as they are; in the
// arguments, backslashes are literal unless they precede a double quote,
// where 2n backslashes give n and a quote that opens or closes a quoted part,
// and 2n+1 give n and a literal quote. The file-type placeholder "%*" comes
// last, quoted, after a space. ParseCommandLine documents the rules in full;
// BuildCommandLine writes what ParseCommandLine reads back.
//
// # Time
//
// Nothing reads the clock: rules that need the time take it as a parameter.
// The only outside data read is the time zone database, through
// time.LoadLocation, when a time zone is looked up by name
// (WorkSchedule.Location, Spec.Validate). Snapshot schedules run on the wall clock of the
// catalog's time zone across daylight-saving changes (Schedule.Next says what
// happens to times that are skipped or repeated).
//
// Session types are quota.SessionType throughout; the image package's own
// type is used only at the IMG-8 check.
package catalog
