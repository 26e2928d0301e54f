package providertest

// allChecks returns every check of the suite, in the order Run runs them.
func allChecks() []check {
	return []check{
		// Create, get, list and delete of every resource type.
		{name: "Resources/ResourceGroup", fn: checkResourceGroup},
		{name: "Resources/VirtualNetwork", fn: checkVirtualNetwork},
		{name: "Resources/SecurityGroup", fn: checkSecurityGroup},
		{name: "Resources/RouteTable", fn: checkRouteTable},
		{name: "Resources/NATGateway", fn: checkNATGateway},
		{name: "Resources/SubnetAttachments", fn: checkSubnetAttachments},
		{name: "Resources/Peering", fn: checkPeering},
		{name: "Resources/VPN", fn: checkVPN},
		{name: "Resources/HubConnection", fn: checkHubConnection},
		{name: "Resources/VirtualMachine", fn: checkVirtualMachine},
		{name: "Resources/Disk", fn: checkDisk},
		{name: "Resources/Snapshot", fn: checkSnapshot},
		{name: "Resources/Image", fn: checkImage},
		{name: "Resources/Key", fn: checkKey},

		// ARM semantics.
		{name: "ARM/PutNeedsResourceGroup", fn: checkPutNeedsGroup},
		{name: "ARM/PutChildNeedsParent", fn: checkPutNeedsParent},
		{name: "ARM/GetMissing", fn: checkGetMissing},
		{name: "ARM/DeleteMissing", fn: checkDeleteMissing},
		{name: "ARM/DeleteGroupDeletesContents", fn: checkDeleteGroup},
		{name: "ARM/IdempotentPut", fn: checkIdempotentPut},
		{name: "ARM/NamesIgnoreCase", fn: checkNamesIgnoreCase},
		{name: "ARM/UpdateInPlace", fn: checkUpdateInPlace},
		{name: "ARM/PutIgnoresState", fn: checkPutIgnoresState},
		{name: "ARM/LocationIsFixed", fn: checkLocationFixed},
		{name: "ARM/ImmutableProperties", fn: checkImmutable},
		{name: "ARM/ListSortedAndFiltered", fn: checkList},
		{name: "ARM/ListNeedsSubscription", fn: checkListNeedsSubscription},
		{name: "ARM/TagsRoundTrip", fn: checkTags},
		{name: "ARM/DeepCopies", fn: checkDeepCopies},
		{name: "ARM/MissingReference", fn: checkMissingReference},
		{name: "ARM/ContextCanceled", fn: checkContextCanceled},
		{name: "ARM/ErrorAs", fn: checkErrorAs},
		{name: "ARM/ErrorAsNative", fn: checkErrorAsNative},

		// Resources in use (409).
		{name: "Conflict/DeleteAttachedSecurityGroup", fn: checkDeleteAttachedNSG},
		{name: "Conflict/DeleteAttachedRouteTable", fn: checkDeleteAttachedRouteTable},
		{name: "Conflict/DeleteAttachedNATGateway", fn: checkDeleteAttachedNAT},
		{name: "Conflict/DeleteVNetWithVMs", fn: checkDeleteVNetWithVMs},
		{name: "Conflict/DeleteSubnetWithVMs", fn: checkDeleteSubnetWithVMs},
		{name: "Conflict/DeleteVNetWithGateway", fn: checkDeleteVNetWithGateway},
		{name: "Conflict/DeleteVPNGatewaysInUse", fn: checkDeleteGatewaysInUse},
		{name: "Conflict/DeleteVNetWithHubConnection", fn: checkDeleteVNetWithHubConnection},
		{name: "Conflict/DeleteAttachedDisk", fn: checkDeleteAttachedDisk},

		// Azure's rules.
		{name: "AZ-1/ReservedRanges", fn: checkReservedRanges},
		{name: "AZ-1/SubnetSizes", fn: checkSubnetSizes},
		{name: "AZ-1/SubnetsInsideAddressSpace", fn: checkSubnetsInside},
		{name: "AZ-1/SubnetsNeverOverlap", fn: checkSubnetsOverlap},
		{name: "AZ-1/PeeredVNetsNeverOverlap", fn: checkPeeredOverlap},
		{name: "AZ-1/NoNATGatewayOnGatewaySubnet", fn: checkGatewaySubnetNAT},
		{name: "AZ-2/PriorityRange", fn: checkPriorityRange},
		{name: "AZ-2/PriorityUniquePerDirection", fn: checkPriorityUnique},
		{name: "AZ-2/RuleNames", fn: checkRuleNames},
		{name: "AZ-2/RuleNamesUnique", fn: checkRuleNamesUnique},
		{name: "AZ-2/PortsAndProtocols", fn: checkPortsProtocols},
		{name: "AZ-2/RuleCount", fn: checkRuleCount},
		{name: "AZ-3/RouteCount", fn: checkRouteCount},
		{name: "AZ-3/NextHops", fn: checkNextHops},
		{name: "AZ-4/IdleTimeout", fn: checkIdleTimeout},
		{name: "AZ-4/StandardPublicIP", fn: checkNATPublicIP},
		{name: "AZ-5/SKUs", fn: checkVPNSKUs},
		{name: "AZ-5/BGP", fn: checkBGP},
		{name: "AZ-5/ReservedASNs", fn: checkReservedASNs},
		{name: "AZ-5/ConnectionASNsDiffer", fn: checkConnectionASNs},
		{name: "AZ-5/SharedKey", fn: checkSharedKey},
		{name: "AZ-5/GatewaySubnetRequired", fn: checkGatewaySubnetRequired},
		{name: "AZ-6/HubSKUs", fn: checkHubSKUs},
		{name: "AZ-6/HubAddressSpace", fn: checkHubAddressSpace},
		{name: "AZ-6/OneHubPerVNet", fn: checkOneHub},
		{name: "AZ-6/NoGatewayOfItsOwn", fn: checkHubNoGateway},
		{name: "AZ-6/NoOverlapWithHubOrSpokes", fn: checkHubOverlap},
		{name: "AZ-7/ComputerNames", fn: checkComputerNames},
		{name: "AZ-7/VMNames", fn: checkVMNames},
		{name: "AZ-8/PowerTransitions", fn: checkPowerTransitions},
		{name: "AZ-8/PowerConflicts", fn: checkPowerConflicts},
		{name: "AZ-8/PowerIdempotent", fn: checkPowerIdempotent},
		{name: "AZ-8/SnapshotsIncremental", fn: checkSnapshotsIncremental},
		{name: "AZ-8/ImageGenerations", fn: checkImageGenerations},
		{name: "AZ-8/ImageFromVM", fn: checkImageFromVM},
		{name: "AZ-9/Zones", fn: checkZones},
		{name: "AZ-9/ZoneRedundantGateways", fn: checkZoneRedundantGateways},

		// Private addresses.
		{name: "Addresses/FirstFourAndLastReserved", fn: checkReservedAddresses},
		{name: "Addresses/Distinct", fn: checkDistinctAddresses},

		// Actions.
		{name: "Actions/RestoreSnapshot", fn: checkRestoreSnapshot},
		{name: "Actions/GrantDiskAccess", fn: checkGrantDiskAccess},
		{name: "Actions/RotateKey", fn: checkRotateKey},
		{name: "Actions/ResetVPNGateway", fn: checkResetVPNGateway},
		{name: "Actions/Capacity", fn: checkCapacity},

		// Isolation of tenants.
		{name: "SEC-2/TenantIsolation", noProvider: true, fn: checkTenantIsolation},

		// Concurrent use (run under -race).
		{name: "Concurrency/VMsInOneSubnet", fn: checkConcurrentVMs},
		{name: "Concurrency/RetriedPutsOfOneVM", fn: checkConcurrentRetries},
		{name: "Concurrency/Mixed", fn: checkConcurrentMixed},
	}
}
