/// Every diagnostic message netc reports, worded once: a factory per
/// message, named for what it says, that fixes the message's code (the
/// catalogue, Catalogue.swift, documents each code). The parser, the checks
/// and the importer report through these; nothing else words a diagnostic.
/// `MessageTests` renders each factory.
public struct Message: Sendable, Equatable {
    public var code: DiagnosticCode
    public var text: String
}

extension Message {
    // MARK: E001

    static func cannotReadFile(_ problem: some CustomStringConvertible) -> Message {
        Message(code: .E001, text: "cannot read the file: \(problem)")
    }

    static var outOfMemory: Message { Message(code: .E001, text: "cannot read YAML: out of memory") }

    static var secondDocument: Message { Message(code: .E001, text: "YAML syntax error: but found another document") }

    static var streamEndedEarly: Message { Message(code: .E001, text: "YAML syntax error: the stream ended early") }

    static var undefinedAlias: Message { Message(code: .E001, text: "YAML syntax error: found undefined alias") }

    static func yamlSyntaxError(_ problem: some CustomStringConvertible) -> Message {
        Message(code: .E001, text: "YAML syntax error: \(problem)")
    }

    // MARK: E002

    static func duplicateKey(_ k: some CustomStringConvertible) -> Message {
        Message(code: .E002, text: "duplicate key '\(k)' in this mapping")
    }

    // MARK: E003

    static func unknownKey(_ key: some CustomStringConvertible, _ what: some CustomStringConvertible, _ mean: some CustomStringConvertible) -> Message {
        Message(code: .E003, text: "unknown key '\(key)' in \(what)\(mean)")
    }

    // MARK: E004

    static func emptyDNSHost(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "DNS host '\(name)' has an empty list of addresses")
    }

    static var emptyDHCPList: Message {
        Message(code: .E004, text: "'dhcp' is an empty list: give one range or more")
    }

    static func badBootFile(_ f: some CustomStringConvertible, _ name: some CustomStringConvertible) -> Message {
        Message(code: .E101, text: "boot file '\(f)' of network '\(name)' must be 1-128 characters without spaces, quotes or control characters")
    }

    static var emptyAddressList: Message {
        Message(code: .E004, text: "'address' is an empty list: give one address or more (the first is the primary)")
    }

    static func keyNotScalar(_ kindDescription: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "a key must be a single value, found \(kindDescription)")
    }

    static func mergeKeyNotMapping(_ kindDescription: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "a merge key '<<' takes a mapping or a list of mappings, found \(kindDescription)")
    }

    static func notABoolean(_ what: some CustomStringConvertible, _ kindDescription: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "\(what) must be true or false, found \(kindDescription)")
    }

    static func notAList(_ what: some CustomStringConvertible, _ kindDescription: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "\(what) must be a list, found \(kindDescription)")
    }

    static func notAMapping(_ what: some CustomStringConvertible, _ kindDescription: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "\(what) must be a mapping, found \(kindDescription)")
    }

    static func notAScalar(_ what: some CustomStringConvertible, _ kindDescription: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "\(what) must be a single value, found \(kindDescription)")
    }

    static func quotedNumber(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "\(what) must be a number, found the string \"\(s)\" (write it without quotes)")
    }

    static func yamlTag(_ tag: some CustomStringConvertible) -> Message {
        Message(code: .E004, text: "YAML tags are not allowed (found '\(tag)'): netc reads every value by the key it belongs to")
    }

    // MARK: E005

    static var emptyFile: Message { Message(code: .E005, text: "the file is empty: a topology needs 'version' and 'networks'") }

    static func missingRequiredKey(_ what: some CustomStringConvertible, _ key: some CustomStringConvertible) -> Message {
        Message(code: .E005, text: "\(what) is missing the required key '\(key)'")
    }

    // MARK: E006

    static func unsupportedVersion(_ kindDescription: some CustomStringConvertible) -> Message {
        Message(code: .E006, text: "unsupported version \(kindDescription): this netc reads version 1")
    }

    // MARK: E007

    static func notOneOf(_ what: some CustomStringConvertible, _ separator: some CustomStringConvertible, _ s: some CustomStringConvertible, _ allowed: some CustomStringConvertible) -> Message {
        Message(code: .E007, text: "\(what) must be one of \(separator), found '\(s)'\(allowed)")
    }

    // MARK: E008

    static func minLinksAboveMembers(_ m: some CustomStringConvertible, _ membersCount: some CustomStringConvertible, _ name: some CustomStringConvertible) -> Message {
        Message(code: .E008, text: "min_links \(m) is more than the \(membersCount) member(s) of bond '\(name)': it would never come up")
    }

    static func notAWholeNumber(_ what: some CustomStringConvertible, _ lowerBound: some CustomStringConvertible, _ upperBound: some CustomStringConvertible, _ s: some CustomStringConvertible) -> Message {
        Message(code: .E008, text: "\(what) must be a whole number from \(lowerBound) to \(upperBound), found '\(s)'")
    }

    static func notSeconds(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible, _ lowerBound: some CustomStringConvertible, _ upperBound: some CustomStringConvertible) -> Message {
        Message(code: .E008, text: "\(what) '\(s)' is not a number of seconds from \(lowerBound) to \(upperBound) (such as 0 or 4s)")
    }

    static func outOfRange(_ what: some CustomStringConvertible, _ n: some CustomStringConvertible, _ lowerBound: some CustomStringConvertible, _ upperBound: some CustomStringConvertible) -> Message {
        Message(code: .E008, text: "\(what) \(n) is out of range \(lowerBound)-\(upperBound)")
    }

    // MARK: E009

    static func aliasExpansion(_ aliasExpansionLimit: some CustomStringConvertible, _ name: some CustomStringConvertible, _ size: some CustomStringConvertible) -> Message {
        Message(code: .E009, text: "aliases in this file expand to more than \(aliasExpansionLimit) nodes by here ('*\(name)' stands for \(size) nodes): a topology needs no alias bomb")
    }

    // MARK: E010

    static func notUTF8(_ shown: some CustomStringConvertible) -> Message {
        Message(code: .E010, text: "the file is not valid UTF-8 here (bytes \(shown)): save it as UTF-8")
    }

    static var nulByte: Message { Message(code: .E010, text: "the file holds a NUL byte here: a topology is text") }

    /// Not a diagnostic: the note that ends the first error of a run.
    static func explainHint(_ code: DiagnosticCode) -> Message {
        Message(code: code, text: "'netc explain \(code.rawValue)' tells more about this error, with an example and its fix")
    }

    // MARK: E011

    static var tabInIndentation: Message {
        Message(code: .E011, text: "a tab in indentation (shown as →): YAML indents with spaces only")
    }

    // MARK: E101

    static func badBridgeName(_ b: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E101, text: "bridge name '\(b)' \(p)")
    }

    static func badDomain(_ d: some CustomStringConvertible, _ name: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E101, text: "domain '\(d)' of network '\(name)' \(p)")
    }

    static func badDNSHostName(_ name: some CustomStringConvertible, _ network: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E101, text: "DNS host name '\(name)' of network '\(network)' \(p)")
    }

    static func badSearchDomain(_ d: some CustomStringConvertible, _ owner: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E101, text: "search domain '\(d)' of \(owner) \(p)")
    }

    static func badHostName(_ h: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E101, text: "host name '\(h)' \(p)")
    }

    static func badInterfaceName(_ iName: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E101, text: "interface name '\(iName)' \(p)")
    }

    // MARK: E102

    static func badNetworkName(_ nName: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E102, text: "network name '\(nName)' \(p)")
    }

    static func badReservationName(_ rName: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E102, text: "reservation name '\(rName)' \(p)")
    }

    // MARK: E103

    static func bridgeNamesInterface(_ b: some CustomStringConvertible) -> Message {
        Message(code: .E103, text: "bridge '\(b)' has the name of a declared interface")
    }

    static func bridgeTaken(_ b: some CustomStringConvertible) -> Message {
        Message(code: .E103, text: "bridge '\(b)' is already the bridge of another network")
    }

    // MARK: E104

    static func primaryNotMember(_ p: some CustomStringConvertible, _ name: some CustomStringConvertible, _ mapValue: some CustomStringConvertible) -> Message {
        Message(code: .E104, text: "primary '\(p)' is not a member of bond '\(name)'\(mapValue)")
    }

    static func undeclaredInterface(_ what: some CustomStringConvertible, _ ref: some CustomStringConvertible, _ keys: some CustomStringConvertible) -> Message {
        Message(code: .E104, text: "\(what) '\(ref)' is not a declared interface\(keys)")
    }

    static func undeclaredUplink(_ u: some CustomStringConvertible, _ names: some CustomStringConvertible) -> Message {
        Message(code: .E104, text: "uplink '\(u)' is not a declared interface or bridge-mode bridge\(names)")
    }

    static func unknownForwardTarget(_ to: some CustomStringConvertible, _ nName: some CustomStringConvertible, _ names: some CustomStringConvertible) -> Message {
        Message(code: .E104, text: "forward target '\(to)' is neither a reservation of network '\(nName)' nor an address\(names)")
    }

    // MARK: E105

    static func alreadyClaimed(_ m: some CustomStringConvertible, _ by: some CustomStringConvertible) -> Message {
        Message(code: .E105, text: "'\(m)' is already claimed by \(by)")
    }

    static func macvtapUplinkEnslaved(_ u: some CustomStringConvertible, _ nName: some CustomStringConvertible, _ by: some CustomStringConvertible) -> Message {
        Message(code: .E105, text: "uplink '\(u)' of macvtap network '\(nName)' is enslaved to \(by)")
    }

    static func memberListedTwice(_ m: some CustomStringConvertible, _ name: some CustomStringConvertible) -> Message {
        Message(code: .E105, text: "'\(m)' is listed twice as a member of '\(name)'")
    }

    static func uplinkClaimed(_ u: some CustomStringConvertible, _ nName: some CustomStringConvertible, _ by: some CustomStringConvertible) -> Message {
        Message(code: .E105, text: "uplink '\(u)' of network '\(nName)' is already claimed by \(by)")
    }

    static func vlanIDTaken(_ id: some CustomStringConvertible, _ p: some CustomStringConvertible, _ first: some CustomStringConvertible) -> Message {
        Message(code: .E105, text: "VLAN id \(id) on '\(p)' is already used by '\(first)'")
    }

    static func vlanParentEnslaved(_ p: some CustomStringConvertible, _ by: some CustomStringConvertible) -> Message {
        Message(code: .E105, text: "VLAN parent '\(p)' is enslaved to \(by); put the VLAN on the bond instead")
    }

    // MARK: E106

    static func bondMemberNotEthernet(_ m: some CustomStringConvertible, _ effectiveKind: some CustomStringConvertible) -> Message {
        Message(code: .E106, text: "bond member '\(m)' is a \(effectiveKind); members must be ethernet interfaces")
    }

    static func uplinkIsGuestBridge(_ u: some CustomStringConvertible, _ mode: some CustomStringConvertible) -> Message {
        Message(code: .E106, text: "uplink '\(u)' is the bridge of a guest network; a \(mode) network leaves through a host interface or a bridge-mode bridge")
    }

    static func vlanParentIsVLAN(_ p: some CustomStringConvertible) -> Message {
        Message(code: .E106, text: "VLAN parent '\(p)' is itself a vlan; a parent must be an ethernet or a bond")
    }

    // MARK: E107

    static func addressOnEnslavedLink(_ iName: some CustomStringConvertible, _ by: some CustomStringConvertible, _ bridge: some CustomStringConvertible) -> Message {
        Message(code: .E107, text: "'\(iName)' is enslaved to \(by) and cannot carry addressing; put it on the \(bridge)")
    }

    // MARK: E201

    static func notACIDR(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible, _ hint: some CustomStringConvertible) -> Message {
        Message(code: .E201, text: "\(what) '\(s)' is not a CIDR address/prefix\(hint)")
    }

    static func notAnAddress(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible, _ hint: some CustomStringConvertible) -> Message {
        Message(code: .E201, text: "\(what) '\(s)' is not an IP address\(hint)")
    }

    // MARK: E202

    static func sourceHasHostBits(_ c: some CustomStringConvertible, _ subnet: some CustomStringConvertible) -> Message {
        Message(code: .E202, text: "source \(c) has host bits set; did you mean \(subnet)?")
    }

    static func subnetHasHostBits(_ subnet: some CustomStringConvertible, _ subnet2: some CustomStringConvertible) -> Message {
        Message(code: .E202, text: "subnet \(subnet) has host bits set; did you mean \(subnet2)?")
    }

    // MARK: E203

    static func gatewayOutsideAddressSubnet(_ g: some CustomStringConvertible, _ subnet: some CustomStringConvertible, _ c: some CustomStringConvertible) -> Message {
        Message(code: .E203, text: "gateway \(g) is outside \(subnet), the subnet of address \(c)")
    }

    static func gatewayOutsideSubnet(_ gl: some CustomStringConvertible, _ subnet: some CustomStringConvertible) -> Message {
        Message(code: .E203, text: "gateway \(gl) is outside subnet \(subnet)")
    }

    // MARK: E204

    static func addressIsNetworkOrBroadcast(_ c: some CustomStringConvertible, _ owner: some CustomStringConvertible, _ broadcast: some CustomStringConvertible) -> Message {
        Message(code: .E204, text: "address \(c) of \(owner) is the \(broadcast) address of its subnet")
    }

    static func gatewayIsNetworkOrBroadcast(_ gl: some CustomStringConvertible, _ broadcast: some CustomStringConvertible, _ subnet: some CustomStringConvertible) -> Message {
        Message(code: .E204, text: "gateway \(gl) is the \(broadcast) address of \(subnet)")
    }

    static func gatewayIsReserved(_ g: some CustomStringConvertible, _ what: some CustomStringConvertible, _ subnet: some CustomStringConvertible) -> Message {
        Message(code: .E204, text: "gateway \(g) is \(what) of \(subnet)")
    }

    // MARK: E205

    static func sourceOfOtherFamily(_ c: some CustomStringConvertible, _ family: some CustomStringConvertible, _ targetFamily: some CustomStringConvertible) -> Message {
        Message(code: .E205, text: "'from' source \(c) is \(family), and the forward's target is \(targetFamily)")
    }

    static func wrongFamily(_ what: some CustomStringConvertible, _ a: some CustomStringConvertible, _ IPv6: some CustomStringConvertible, _ family: some CustomStringConvertible) -> Message {
        Message(code: .E205, text: "\(what) \(a) is an \(IPv6) address, under '\(family)'")
    }

    // MARK: E206

    static func subnetTooSmall(_ subnet: some CustomStringConvertible, _ bits: some CustomStringConvertible) -> Message {
        Message(code: .E206, text: "subnet \(subnet) is too small for a gateway and one guest (use /\(bits) or larger)")
    }

    // MARK: E207

    static func overlaps(_ what: some CustomStringConvertible, _ what2: some CustomStringConvertible) -> Message {
        Message(code: .E207, text: "\(what) overlaps \(what2)")
    }

    // MARK: E208

    static func specialPurposeRange(_ what: some CustomStringConvertible, _ c: some CustomStringConvertible, _ label: some CustomStringConvertible) -> Message {
        Message(code: .E208, text: "\(what) \(c) lies in the special-purpose range \(label)")
    }

    // MARK: E209

    static func routeGatewayOffLink(_ via: some CustomStringConvertible, _ to: some CustomStringConvertible, _ link: some CustomStringConvertible) -> Message {
        Message(code: .E209, text: "gateway \(via) of the route to \(to) is not on '\(link)': no static address of '\(link)' has it in its subnet")
    }

    static var defaultRouteWithoutGateway: Message {
        Message(code: .E209, text: "a default route needs a gateway ('via')")
    }

    // MARK: E210

    static func routeTwice(_ to: some CustomStringConvertible, _ link: some CustomStringConvertible) -> Message {
        Message(code: .E210, text: "the route to \(to) is given twice on '\(link)' (same table and metric)")
    }

    // MARK: E301

    static func dhcpAddressOutsideSubnet(_ x: some CustomStringConvertible, _ subnet: some CustomStringConvertible) -> Message {
        Message(code: .E301, text: "DHCP range address \(x) is outside subnet \(subnet)")
    }

    // MARK: E302

    static func dhcpRangeReversed(_ a: some CustomStringConvertible, _ b: some CustomStringConvertible) -> Message {
        Message(code: .E302, text: "DHCP range is reversed: start \(a) is above end \(b)")
    }

    // MARK: E303

    static func dhcpRangeHolds(_ a: some CustomStringConvertible, _ b: some CustomStringConvertible, _ what: some CustomStringConvertible, _ addr: some CustomStringConvertible) -> Message {
        Message(code: .E303, text: "DHCP range \(a)-\(b) holds \(what) \(addr)")
    }

    // MARK: E304

    static func reservationIsGateway(_ ip: some CustomStringConvertible, _ nName: some CustomStringConvertible) -> Message {
        Message(code: .E304, text: "reservation address \(ip) is the gateway of network '\(nName)'")
    }

    static func reservationNotGuestAddress(_ ip: some CustomStringConvertible, _ subnet: some CustomStringConvertible) -> Message {
        Message(code: .E304, text: "reservation address \(ip) is not a guest address of subnet \(subnet)")
    }

    // MARK: E305

    static func addressAlreadyReserved(_ ip: some CustomStringConvertible, _ first: some CustomStringConvertible) -> Message {
        Message(code: .E305, text: "address \(ip) is already reserved by '\(first)'")
    }

    static func macAlreadyReserved(_ m: some CustomStringConvertible, _ first: some CustomStringConvertible) -> Message {
        Message(code: .E305, text: "MAC \(m) is already reserved by '\(first)'")
    }

    // MARK: E306

    static func notAMAC(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible) -> Message {
        Message(code: .E306, text: "\(what) '\(s)' is not a MAC address (six hex octets such as 52:54:00:12:34:56)")
    }

    static func notUnicastMAC(_ what: some CustomStringConvertible, _ m: some CustomStringConvertible, _ address: some CustomStringConvertible) -> Message {
        Message(code: .E306, text: "\(what) \(m) is \(address): a NIC or guest needs a unicast MAC")
    }

    // MARK: E308

    static func dhcpRangesOverlap(_ a: some CustomStringConvertible, _ b: some CustomStringConvertible) -> Message {
        Message(code: .E308, text: "DHCP range \(a) overlaps range \(b)")
    }

    // MARK: E307

    static func leaseTooShort(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible) -> Message {
        Message(code: .E307, text: "\(what) \(s) is shorter than the minimum of 2 minutes")
    }

    static func notADuration(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible) -> Message {
        Message(code: .E307, text: "\(what) '\(s)' is not a duration (a number and a unit: 30s, 10m, 1h, 2d)")
    }

    // MARK: E401

    static var gatewayWithDHCP: Message { Message(code: .E401, text: "'gateway' is not allowed with 'address: dhcp' (DHCP supplies the router)") }

    static func natOnlyOnNATNetworks(_ nName: some CustomStringConvertible, _ mode: some CustomStringConvertible) -> Message {
        Message(code: .E401, text: "'nat' is only allowed on the IPv6 of a nat network; '\(nName)' is in \(mode) mode")
    }

    static func notAllowed(_ key: some CustomStringConvertible, _ why: some CustomStringConvertible) -> Message {
        Message(code: .E401, text: "'\(key)' is not allowed \(why)")
    }

    static func dnsHostsNeedLibvirt(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E401, text: "'dns_hosts' needs a DNS server, which networkd does not have: leave 'served_by' at libvirt (network '\(name)')")
    }

    static func raFalseNeedsNetworkd(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E401, text: "'ra: false' needs 'served_by: networkd': libvirt's dnsmasq always sends router advertisements for an IPv6 subnet (network '\(name)')")
    }

    static func severalRangesNeedLibvirt(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E401, text: "several DHCP ranges need 'served_by: libvirt': networkd's DHCP server has one pool (network '\(name)')")
    }

    static func dhcpv6NeedsLibvirt(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E401, text: "DHCPv6 needs 'served_by: libvirt': networkd's DHCP server serves IPv4 only (network '\(name)')")
    }

    static func reservationsWithoutDHCPNeedLibvirt(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E401, text: "'reservations' without 'dhcp' needs 'served_by: libvirt': networkd's DHCP server always hands out a dynamic pool (network '\(name)')")
    }

    // MARK: E402

    static func bondWithoutMembers(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E402, text: "bond '\(name)' needs at least one member")
    }

    static func keyRequired(_ key: some CustomStringConvertible, _ why: some CustomStringConvertible) -> Message {
        Message(code: .E402, text: "'\(key)' is required \(why)")
    }

    static func libvirtNeedsAddressing(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E402, text: "'served_by: libvirt' needs guest addressing ('ipv4' or 'ipv6'): libvirt's open forwarding mode refuses a network without an address (network '\(name)')")
    }

    static func networkNeedsGuestAddressing(_ mode: some CustomStringConvertible, _ name: some CustomStringConvertible) -> Message {
        Message(code: .E402, text: "a \(mode) network needs guest addressing: 'ipv4' or 'ipv6' (network '\(name)')")
    }

    // MARK: E403

    static func uplinkIsPort(_ u: some CustomStringConvertible, _ by: some CustomStringConvertible, _ use: some CustomStringConvertible) -> Message {
        Message(code: .E403, text: "uplink '\(u)' is enslaved to \(by): traffic leaves through \(use), so name \(use) as uplink")
    }

    // MARK: E404

    static func raNeedsSlash64(_ subnet: some CustomStringConvertible, _ prefix: some CustomStringConvertible) -> Message {
        Message(code: .E404, text: "router advertisements (SLAAC) need a /64, but \(subnet) is a /\(prefix); use a /64, or set 'ra: false' with 'served_by: networkd'")
    }

    // MARK: E405

    static func mtuBelowIPv6Minimum(_ mtu: some CustomStringConvertible, _ name: some CustomStringConvertible) -> Message {
        Message(code: .E405, text: "MTU \(mtu) of '\(name)' is below 1280, the minimum for IPv6")
    }

    static func networkMTUBelowIPv6Minimum(_ mtu: some CustomStringConvertible, _ name: some CustomStringConvertible) -> Message {
        Message(code: .E405, text: "MTU \(mtu) of network '\(name)' is below 1280, the minimum for IPv6")
    }

    static func vlanMTUAboveParent(_ mtu: some CustomStringConvertible, _ name: some CustomStringConvertible, _ pm: some CustomStringConvertible) -> Message {
        Message(code: .E405, text: "MTU \(mtu) of vlan '\(name)' exceeds its parent's MTU (\(pm))")
    }

    // MARK: E406

    static func egressWithoutFamily(_ name: some CustomStringConvertible, _ verb: some CustomStringConvertible, _ family: some CustomStringConvertible, _ uplink: some CustomStringConvertible) -> Message {
        Message(code: .E406, text: "network '\(name)' \(verb) \(family) out of '\(uplink)', which has \(family) off")
    }

    // MARK: E501

    static func notAPort(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible) -> Message {
        Message(code: .E501, text: "\(what) '\(s)' is not a port (1-65535) or a range such as 8000-8010")
    }

    static func portRangeLengths(_ low: some CustomStringConvertible, _ high: some CustomStringConvertible, _ valueCount: some CustomStringConvertible, _ valueCount2: some CustomStringConvertible) -> Message {
        Message(code: .E501, text: "to_port \(low)-\(high) holds \(valueCount) ports but port holds \(valueCount2)")
    }

    static func portRangeReversed(_ what: some CustomStringConvertible, _ s: some CustomStringConvertible) -> Message {
        Message(code: .E501, text: "\(what) range \(s) is reversed")
    }

    // MARK: E502

    static func forwardTargetOutsideSubnet(_ a: some CustomStringConvertible, _ subnet: some CustomStringConvertible, _ nName: some CustomStringConvertible) -> Message {
        Message(code: .E502, text: "forward target \(a) is outside subnet \(subnet) of network '\(nName)'")
    }

    static func forwardTargetReserved(_ a: some CustomStringConvertible, _ what: some CustomStringConvertible, _ nName: some CustomStringConvertible) -> Message {
        Message(code: .E502, text: "forward target \(a) is \(what) of network '\(nName)'")
    }

    static func forwardsNeedIPv4(_ nName: some CustomStringConvertible) -> Message {
        Message(code: .E502, text: "forwards need the network's IPv4 subnet; network '\(nName)' has no 'ipv4'")
    }

    static func forwardNeedsIPv6Subnet(_ a: some CustomStringConvertible, _ nName: some CustomStringConvertible) -> Message {
        Message(code: .E502, text: "forward target \(a) is IPv6, and network '\(nName)' has no IPv6 subnet")
    }

    // MARK: E503

    static func portForwardedTwice(_ proto: some CustomStringConvertible, _ high: some CustomStringConvertible) -> Message {
        Message(code: .E503, text: "\(proto) host port \(high) is already forwarded")
    }

    // MARK: E504

    static func forwardsOnNATOnly(_ name: some CustomStringConvertible, _ mode: some CustomStringConvertible) -> Message {
        Message(code: .E504, text: "'forwards' is only allowed on nat networks; '\(name)' is in \(mode) mode")
    }

    // MARK: E505

    static func ipv6ForwardIsTranslated(_ nName: some CustomStringConvertible) -> Message {
        Message(code: .E505, text: "an IPv6 forward reaches the guest at its own address, but network '\(nName)' masquerades its IPv6 ('nat: true')")
    }

    static func ipv6ForwardChangesPort(_ toPort: some CustomStringConvertible, _ port: some CustomStringConvertible) -> Message {
        Message(code: .E505, text: "an IPv6 forward is not translated: to_port \(toPort) must equal port \(port) (or be left out)")
    }

    // MARK: E901-E908 (fleets)

    static func unknownMember(_ name: some CustomStringConvertible, _ suggestion: some CustomStringConvertible) -> Message {
        Message(code: .E901, text: "member '\(name)' is not a host of the fleet\(suggestion)")
    }

    static func memberTwice(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E901, text: "member '\(name)' is listed twice")
    }

    static func topologySharedByHosts(_ path: some CustomStringConvertible, _ other: some CustomStringConvertible) -> Message {
        Message(code: .E901, text: "topology \(path) is host '\(other)''s already: each host has a file of its own")
    }

    static func vniTwice(_ vni: some CustomStringConvertible, _ other: some CustomStringConvertible) -> Message {
        Message(code: .E902, text: "VNI \(vni) is overlay '\(other)''s already")
    }

    static func memberWithoutVTEP(_ host: some CustomStringConvertible, _ overlay: some CustomStringConvertible) -> Message {
        Message(code: .E903, text: "host '\(host)' is a member of overlay '\(overlay)' and names no 'vtep'")
    }

    static func vtepNotAnInterface(_ vtep: some CustomStringConvertible, _ file: some CustomStringConvertible) -> Message {
        Message(code: .E903, text: "vtep '\(vtep)' is not an interface of \(file)")
    }

    static func vtepWithoutStaticAddress(_ vtep: some CustomStringConvertible, _ file: some CustomStringConvertible) -> Message {
        Message(code: .E903, text: "vtep '\(vtep)' has no static address in \(file): the other members could not reach it")
    }

    static func overlayClashes(_ what: some CustomStringConvertible, _ overlay: some CustomStringConvertible, _ other: some CustomStringConvertible) -> Message {
        Message(code: .E904, text: "\(what) of overlay '\(overlay)' clashes with \(other)")
    }

    static func overlayModeCannotSpan(_ mode: some CustomStringConvertible, _ why: some CustomStringConvertible) -> Message {
        Message(code: .E905, text: "an overlay cannot be in \(mode) mode: \(why)")
    }

    static var overlayServedByLibvirt: Message {
        Message(code: .E905, text: "an overlay is served by networkd: a networkd VXLAN link joins only a bridge networkd made, and libvirt serves DHCP only on a bridge it made")
    }

    static func overlayUplinkMissing(_ uplink: some CustomStringConvertible, _ host: some CustomStringConvertible) -> Message {
        Message(code: .E905, text: "uplink '\(uplink)' is not an interface of member '\(host)'")
    }

    static func overlayMTUOverBudget(_ mtu: some CustomStringConvertible, _ budget: some CustomStringConvertible, _ host: some CustomStringConvertible) -> Message {
        Message(code: .E906, text: "mtu \(mtu) is over the budget of member '\(host)': its VTEP carries guest frames of at most \(budget) bytes")
    }

    static func rangeSmallerThanMembers(_ size: some CustomStringConvertible, _ members: some CustomStringConvertible) -> Message {
        Message(code: .E907, text: "the DHCP range holds \(size) addresses for \(members) members: each member needs a slice of at least one")
    }

    static func topologyUnreadable(_ path: some CustomStringConvertible, _ why: some CustomStringConvertible) -> Message {
        Message(code: .E908, text: "cannot read topology \(path): \(why)")
    }

    static func topologyNamesOtherHost(_ path: some CustomStringConvertible, _ said: some CustomStringConvertible, _ host: some CustomStringConvertible) -> Message {
        Message(code: .E908, text: "topology \(path) says host: \(said), but the fleet names it '\(host)'")
    }

    // MARK: E601

    static func peerNotRouted(_ p: some CustomStringConvertible, _ valueRawValue: some CustomStringConvertible, _ addressing: some CustomStringConvertible) -> Message {
        Message(code: .E601, text: "peer '\(p)' has no routed guest subnet (it is a \(valueRawValue) network\(addressing))")
    }

    static func peersWithItself(_ p: some CustomStringConvertible) -> Message {
        Message(code: .E601, text: "network '\(p)' cannot peer with itself")
    }

    static func unknownPeer(_ p: some CustomStringConvertible, _ keys: some CustomStringConvertible) -> Message {
        Message(code: .E601, text: "peer '\(p)' is not a declared network\(keys)")
    }

    // MARK: E801

    static func xmlBadCharacterReference(_ text: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "'&\(text);' is not a character reference XML allows")
    }

    static var xmlBareAmpersand: Message { Message(code: .E801, text: "'&' starts no entity reference here: write &amp;") }

    static var xmlCDATAEndInText: Message { Message(code: .E801, text: "']]>' may not appear in text") }

    static var xmlDoctype: Message { Message(code: .E801, text: "a DOCTYPE is not accepted: libvirt's XML has none") }

    static var xmlDoubleHyphenInComment: Message { Message(code: .E801, text: "'--' may not appear inside a comment") }

    static func xmlDuplicateAttribute(_ attribute: some CustomStringConvertible, _ name: some CustomStringConvertible, _ start: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "the attribute '\(attribute)' appears twice in <\(name)> (first at \(start))")
    }

    static func xmlExpectedCloseTagEnd(_ closing: some CustomStringConvertible, _ shown: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "expected '>' to end </\(closing)>, found \(shown)")
    }

    static func xmlExpectedEmptyTagEnd(_ name: some CustomStringConvertible, _ shown: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "expected '>' after '/' in <\(name)>, found \(shown)")
    }

    static func xmlExpectedEquals(_ attribute: some CustomStringConvertible, _ shown: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "expected '=' after the attribute '\(attribute)', found \(shown)")
    }

    static func xmlExpectedQuotedValue(_ attribute: some CustomStringConvertible, _ shown: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "expected a quoted value for the attribute '\(attribute)', found \(shown)")
    }

    static func xmlExpectedTagEnd(_ name: some CustomStringConvertible, _ shown: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "expected white space, '>' or '/>' after <\(name)..., found \(shown)")
    }

    static var xmlLessThanInValue: Message { Message(code: .E801, text: "'<' may not appear in an attribute value: write &lt;") }

    static func xmlMismatchedClose(_ closing: some CustomStringConvertible, _ openName: some CustomStringConvertible, _ start: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "</\(closing)> does not close <\(openName)>, opened at \(start)")
    }

    static func xmlSecondRoot(_ shown: some CustomStringConvertible, _ rootName: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "only one element may be at the top of the document; found \(shown) after '</\(rootName)>'")
    }

    static func xmlTooDeep(_ depthLimit: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "elements are nested more than \(depthLimit) deep")
    }

    static var xmlUnclosedCDATA: Message { Message(code: .E801, text: "this CDATA section is never closed with ']]>'") }

    static var xmlUnclosedComment: Message { Message(code: .E801, text: "this comment is never closed with '-->'") }

    static func xmlUnclosedElement(_ lastName: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "<\(lastName)> is never closed")
    }

    static var xmlUnclosedProcessingInstruction: Message { Message(code: .E801, text: "this processing instruction is never closed with '?>'") }

    static func xmlUnclosedStartTag(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "the start tag <\(name)> is never closed")
    }

    static func xmlUnclosedValue(_ attribute: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "the value of '\(attribute)' is never closed")
    }

    static func xmlUnexpectedMarkup(_ shown: some CustomStringConvertible, _ lastName: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "unexpected markup \(shown)'!...' inside <\(lastName)>")
    }

    static func xmlUnknownEntity(_ text: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "unknown entity '&\(text);': XML predefines only &lt; &gt; &amp; &quot; &apos;")
    }

    static func xmlEndsEarly(_ what: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "the document ends where \(what) was expected")
    }

    static func xmlExpectedName(_ what: some CustomStringConvertible, _ shown: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "expected \(what), found \(shown)")
    }

    static var xmlNoElement: Message { Message(code: .E801, text: "the file holds no XML element") }

    static func xmlExpectedRoot(_ shown: some CustomStringConvertible) -> Message {
        Message(code: .E801, text: "expected the document's element ('<network>'), found \(shown)")
    }

    // MARK: E802

    static var bridgeForwardWithoutTarget: Message { Message(code: .E802, text: "<forward mode='bridge'> names neither a host bridge (<bridge name=...>) nor a device (<interface dev=...>)") }

    static var ipWithoutPrefix: Message { Message(code: .E802, text: "<ip> has neither prefix= nor netmask=") }

    static func missingAttribute(_ eName: some CustomStringConvertible, _ name: some CustomStringConvertible, _ what: some CustomStringConvertible) -> Message {
        Message(code: .E802, text: "<\(eName)> has no \(name)= (\(what))")
    }

    static func networkWithoutBridge(_ nName: some CustomStringConvertible) -> Message {
        Message(code: .E802, text: "<network> has no <bridge name=...>: libvirt names the bridge when it defines the network; import what `virsh net-dumpxml \(nName)` prints")
    }

    static var networkWithoutName: Message { Message(code: .E802, text: "<network> has no <name>") }

    static func notANetwork(_ rootName: some CustomStringConvertible) -> Message {
        Message(code: .E802, text: "the document is <\(rootName)>, not a libvirt network: netc imports network XML as `virsh net-dumpxml NAME` prints it")
    }

    // MARK: E803

    static func addressOfOtherFamily(_ aName: some CustomStringConvertible, _ a: some CustomStringConvertible, _ family: some CustomStringConvertible, _ family2: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "\(aName)='\(a)' is an \(family) address in an \(family2) <ip>")
    }

    static func badFamily(_ f: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "family='\(f)' is neither 'ipv4' nor 'ipv6'")
    }

    static func badImportedAddress(_ aName: some CustomStringConvertible, _ a: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "\(aName)='\(a)' is not an IP address")
    }

    static func badImportedDomain(_ a: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "the domain '\(a)' \(p)")
    }

    static func badImportedHostName(_ name: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "the host name '\(name)' \(p)")
    }

    static func badImportedInterfaceName(_ a: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "the interface name '\(a)' \(p)")
    }

    static func badImportedMAC(_ m: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "mac='\(m)' is not a MAC address")
    }

    static func badImportedNetworkName(_ name: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "the network name '\(name)' \(p)")
    }

    static func badLeaseUnit(_ unit: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "unit='\(unit)' is not seconds, minutes or hours")
    }

    static func badNetmask(_ a: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "netmask='\(a)' is not an IPv4 netmask")
    }

    static func badUplinkNIC(_ name: some CustomStringConvertible, _ nic: some CustomStringConvertible, _ p: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "--uplink \(name)=\(nic): the interface name '\(nic)' \(p)")
    }

    static func netmaskNotContiguous(_ a: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "netmask='\(a)' is not a netmask (its ones are not contiguous)")
    }

    static func notAnIntegerInRange(_ aName: some CustomStringConvertible, _ a: some CustomStringConvertible, _ lowerBound: some CustomStringConvertible, _ upperBound: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "\(aName)='\(a)' is not an integer from \(lowerBound) to \(upperBound)")
    }

    static func notYesOrNo(_ aName: some CustomStringConvertible, _ a: some CustomStringConvertible, _ yes: some CustomStringConvertible, _ no: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "\(aName)='\(a)' is neither '\(yes)' nor '\(no)'")
    }

    static func unknownForwardMode(_ modeAttribute: some CustomStringConvertible) -> Message {
        Message(code: .E803, text: "mode='\(modeAttribute)' is not a libvirt forward mode (nat, route, open, bridge, private, vepa, passthrough, hostdev)")
    }

    // MARK: E804

    static var hostdevPool: Message { Message(code: .E804, text: "a pool of SR-IOV host devices (<forward mode='hostdev'>) cannot be imported: netc's networks are bridges and macvtap") }

    static var sriovPool: Message { Message(code: .E804, text: "an SR-IOV pool (<pf dev=...>) cannot be imported: netc's macvtap networks name one uplink device") }

    static func virtualPortNetwork(_ type: some CustomStringConvertible) -> Message {
        Message(code: .E804, text: "a network on a <virtualport type='\(type)'> (Open vSwitch or 802.1Qbx) cannot be imported: netc manages Linux bridges")
    }

    // MARK: E805

    static func bridgeUplinkUnknown(_ name: some CustomStringConvertible) -> Message {
        Message(code: .E805, text: "libvirt's XML does not say which NIC the host bridge \(name) enslaves: pass --uplink \(name)=NIC")
    }

    // MARK: W701

    static func reservationInDHCPRange(_ ip: some CustomStringConvertible) -> Message {
        Message(code: .W701, text: "reservation address \(ip) lies inside the dynamic DHCP range; another guest may lease it first")
    }

    // MARK: W702

    static func uniqueLocalWithoutNAT(_ subnet: some CustomStringConvertible) -> Message {
        Message(code: .W702, text: "IPv6 subnet \(subnet) is unique-local and 'nat' is not set: guests get IPv6 addresses but no IPv6 internet")
    }

    // MARK: W703

    static func bareForwardTarget(_ a: some CustomStringConvertible) -> Message {
        Message(code: .W703, text: "forward target \(a) is a bare address: a guest keeps it only while it holds the lease; use a reservation name")
    }

    // MARK: W704

    static func networkdReservation(_ rName: some CustomStringConvertible) -> Message {
        Message(code: .W704, text: "reservation '\(rName)' is served by networkd, which before systemd 254 gives it only to a guest that sends its MAC as DHCP client identifier; guests that send a DUID (systemd-networkd and netplan guests do) get a dynamic address")
    }

    // MARK: W705

    static func egressWithoutAddress(_ name: some CustomStringConvertible, _ verb: some CustomStringConvertible, _ family: some CustomStringConvertible, _ uplink: some CustomStringConvertible, _ kind: some CustomStringConvertible) -> Message {
        Message(code: .W705, text: "network '\(name)' \(verb) \(family) out of '\(uplink)', which has no \(kind)\(family) address in this topology")
    }

    // MARK: W706

    static func bridgeWithoutHostAddress(_ name: some CustomStringConvertible, _ bridge: some CustomStringConvertible, _ uplink: some CustomStringConvertible) -> Message {
        Message(code: .W706, text: "bridge '\(bridge)' of network '\(name)' takes over '\(uplink)' and has no host address: the host will have none on that LAN")
    }

    // MARK: W801

    static func leftOut(_ what: some CustomStringConvertible, _ why: some CustomStringConvertible) -> Message {
        Message(code: .W801, text: "\(what) is left out: \(why)")
    }

    // MARK: W802

    static func hostLinkAddressingUnknown(_ name: some CustomStringConvertible) -> Message {
        Message(code: .W802, text: "the host's addressing on \(name) is not in libvirt's XML: netc would manage \(name) and give it none; add its ipv4 and ipv6 to the imported topology before netc apply")
    }

    static func hostAddressingUnknown(_ name: some CustomStringConvertible) -> Message {
        Message(code: .W802, text: "the host's addressing on \(name) is not in libvirt's XML: netc would create \(name) and give it none; add the network's ipv4 and ipv6 to the imported topology before netc apply")
    }

    /// Each factory once, its arguments shown as `<name>`: what
    /// `MessageTests` checks (a factory missing here fails it).
    static let samples: [Message] = [
        .cannotReadFile("<problem>"),
        .outOfMemory,
        .secondDocument,
        .streamEndedEarly,
        .undefinedAlias,
        .yamlSyntaxError("<problem>"),
        .duplicateKey("<k>"),
        .unknownKey("<key>", "<what>", "<mean>"),
        .keyNotScalar("<kindDescription>"),
        .mergeKeyNotMapping("<kindDescription>"),
        .notABoolean("<what>", "<kindDescription>"),
        .notAList("<what>", "<kindDescription>"),
        .notAMapping("<what>", "<kindDescription>"),
        .notAScalar("<what>", "<kindDescription>"),
        .quotedNumber("<what>", "<s>"),
        .yamlTag("<tag>"),
        .tabInIndentation,
        .explainHint(.E001),
        .emptyFile,
        .missingRequiredKey("<what>", "<key>"),
        .unsupportedVersion("<kindDescription>"),
        .notOneOf("<what>", "<separator>", "<s>", "<allowed>"),
        .minLinksAboveMembers("<m>", "<membersCount>", "<name>"),
        .notAWholeNumber("<what>", "<lowerBound>", "<upperBound>", "<s>"),
        .notSeconds("<what>", "<s>", "<lowerBound>", "<upperBound>"),
        .outOfRange("<what>", "<n>", "<lowerBound>", "<upperBound>"),
        .aliasExpansion("<aliasExpansionLimit>", "<name>", "<size>"),
        .notUTF8("<shown>"),
        .nulByte,
        .badBridgeName("<b>", "<p>"),
        .badDomain("<d>", "<name>", "<p>"),
        .badHostName("<h>", "<p>"),
        .badInterfaceName("<iName>", "<p>"),
        .badNetworkName("<nName>", "<p>"),
        .badReservationName("<rName>", "<p>"),
        .bridgeNamesInterface("<b>"),
        .bridgeTaken("<b>"),
        .primaryNotMember("<p>", "<name>", "<mapValue>"),
        .undeclaredInterface("<what>", "<ref>", "<keys>"),
        .undeclaredUplink("<u>", "<names>"),
        .unknownForwardTarget("<to>", "<nName>", "<names>"),
        .alreadyClaimed("<m>", "<by>"),
        .macvtapUplinkEnslaved("<u>", "<nName>", "<by>"),
        .memberListedTwice("<m>", "<name>"),
        .uplinkClaimed("<u>", "<nName>", "<by>"),
        .vlanIDTaken("<id>", "<p>", "<first>"),
        .vlanParentEnslaved("<p>", "<by>"),
        .bondMemberNotEthernet("<m>", "<effectiveKind>"),
        .uplinkIsGuestBridge("<u>", "<mode>"),
        .vlanParentIsVLAN("<p>"),
        .addressOnEnslavedLink("<iName>", "<by>", "<bridge>"),
        .notACIDR("<what>", "<s>", "<hint>"),
        .notAnAddress("<what>", "<s>", "<hint>"),
        .sourceHasHostBits("<c>", "<subnet>"),
        .subnetHasHostBits("<subnet>", "<subnet2>"),
        .gatewayOutsideAddressSubnet("<g>", "<subnet>", "<c>"),
        .gatewayOutsideSubnet("<gl>", "<subnet>"),
        .addressIsNetworkOrBroadcast("<c>", "<owner>", "<broadcast>"),
        .gatewayIsNetworkOrBroadcast("<gl>", "<broadcast>", "<subnet>"),
        .gatewayIsReserved("<g>", "<what>", "<subnet>"),
        .sourceOfOtherFamily("<c>", "<family>", "<targetFamily>"),
        .wrongFamily("<what>", "<a>", "<IPv6>", "<family>"),
        .subnetTooSmall("<subnet>", "<bits>"),
        .overlaps("<what>", "<what2>"),
        .badSearchDomain("<d>", "<owner>", "<p>"),
        .routeGatewayOffLink("<via>", "<to>", "<link>"),
        .defaultRouteWithoutGateway,
        .routeTwice("<to>", "<link>"),
        .emptyAddressList,
        .emptyDHCPList,
        .badBootFile("<f>", "<name>"),
        .dhcpRangesOverlap("<a>", "<b>"),
        .severalRangesNeedLibvirt("<name>"),
        .dhcpv6NeedsLibvirt("<name>"),
        .emptyDNSHost("<name>"),
        .badDNSHostName("<name>", "<network>", "<p>"),
        .dnsHostsNeedLibvirt("<name>"),
        .specialPurposeRange("<what>", "<c>", "<label>"),
        .dhcpAddressOutsideSubnet("<x>", "<subnet>"),
        .dhcpRangeReversed("<a>", "<b>"),
        .dhcpRangeHolds("<a>", "<b>", "<what>", "<addr>"),
        .reservationIsGateway("<ip>", "<nName>"),
        .reservationNotGuestAddress("<ip>", "<subnet>"),
        .addressAlreadyReserved("<ip>", "<first>"),
        .macAlreadyReserved("<m>", "<first>"),
        .notAMAC("<what>", "<s>"),
        .notUnicastMAC("<what>", "<m>", "<address>"),
        .leaseTooShort("<what>", "<s>"),
        .notADuration("<what>", "<s>"),
        .gatewayWithDHCP,
        .natOnlyOnNATNetworks("<nName>", "<mode>"),
        .notAllowed("<key>", "<why>"),
        .raFalseNeedsNetworkd("<name>"),
        .reservationsWithoutDHCPNeedLibvirt("<name>"),
        .bondWithoutMembers("<name>"),
        .keyRequired("<key>", "<why>"),
        .libvirtNeedsAddressing("<name>"),
        .networkNeedsGuestAddressing("<mode>", "<name>"),
        .uplinkIsPort("<u>", "<by>", "<use>"),
        .egressWithoutFamily("<name>", "<verb>", "<family>", "<uplink>"),
        .egressWithoutAddress("<name>", "<verb>", "<family>", "<uplink>", "<kind>"),
        .bridgeWithoutHostAddress("<name>", "<bridge>", "<uplink>"),
        .raNeedsSlash64("<subnet>", "<prefix>"),
        .mtuBelowIPv6Minimum("<mtu>", "<name>"),
        .networkMTUBelowIPv6Minimum("<mtu>", "<name>"),
        .vlanMTUAboveParent("<mtu>", "<name>", "<pm>"),
        .notAPort("<what>", "<s>"),
        .portRangeLengths("<low>", "<high>", "<valueCount>", "<valueCount2>"),
        .portRangeReversed("<what>", "<s>"),
        .forwardTargetOutsideSubnet("<a>", "<subnet>", "<nName>"),
        .forwardTargetReserved("<a>", "<what>", "<nName>"),
        .forwardsNeedIPv4("<nName>"),
        .forwardNeedsIPv6Subnet("<a>", "<nName>"),
        .portForwardedTwice("<proto>", "<high>"),
        .unknownMember("<name>", "<suggestion>"),
        .memberTwice("<name>"),
        .topologySharedByHosts("<path>", "<other>"),
        .vniTwice("<vni>", "<other>"),
        .memberWithoutVTEP("<host>", "<overlay>"),
        .vtepNotAnInterface("<vtep>", "<file>"),
        .vtepWithoutStaticAddress("<vtep>", "<file>"),
        .overlayClashes("<what>", "<overlay>", "<other>"),
        .overlayModeCannotSpan("<mode>", "<why>"),
        .overlayServedByLibvirt,
        .overlayUplinkMissing("<uplink>", "<host>"),
        .overlayMTUOverBudget("<mtu>", "<budget>", "<host>"),
        .rangeSmallerThanMembers("<size>", "<members>"),
        .topologyUnreadable("<path>", "<why>"),
        .topologyNamesOtherHost("<path>", "<said>", "<host>"),
        .ipv6ForwardIsTranslated("<nName>"),
        .ipv6ForwardChangesPort("<toPort>", "<port>"),
        .forwardsOnNATOnly("<name>", "<mode>"),
        .peerNotRouted("<p>", "<valueRawValue>", "<addressing>"),
        .peersWithItself("<p>"),
        .unknownPeer("<p>", "<keys>"),
        .xmlBadCharacterReference("<text>"),
        .xmlBareAmpersand,
        .xmlCDATAEndInText,
        .xmlDoctype,
        .xmlDoubleHyphenInComment,
        .xmlDuplicateAttribute("<attribute>", "<name>", "<start>"),
        .xmlExpectedCloseTagEnd("<closing>", "<shown>"),
        .xmlExpectedEmptyTagEnd("<name>", "<shown>"),
        .xmlExpectedEquals("<attribute>", "<shown>"),
        .xmlExpectedQuotedValue("<attribute>", "<shown>"),
        .xmlExpectedTagEnd("<name>", "<shown>"),
        .xmlLessThanInValue,
        .xmlMismatchedClose("<closing>", "<openName>", "<start>"),
        .xmlSecondRoot("<shown>", "<rootName>"),
        .xmlTooDeep("<depthLimit>"),
        .xmlUnclosedCDATA,
        .xmlUnclosedComment,
        .xmlUnclosedElement("<lastName>"),
        .xmlUnclosedProcessingInstruction,
        .xmlUnclosedStartTag("<name>"),
        .xmlUnclosedValue("<attribute>"),
        .xmlUnexpectedMarkup("<shown>", "<lastName>"),
        .xmlUnknownEntity("<text>"),
        .bridgeForwardWithoutTarget,
        .ipWithoutPrefix,
        .missingAttribute("<eName>", "<name>", "<what>"),
        .networkWithoutBridge("<nName>"),
        .networkWithoutName,
        .notANetwork("<rootName>"),
        .addressOfOtherFamily("<aName>", "<a>", "<family>", "<family2>"),
        .badFamily("<f>"),
        .badImportedAddress("<aName>", "<a>"),
        .badImportedDomain("<a>", "<p>"),
        .badImportedHostName("<name>", "<p>"),
        .badImportedInterfaceName("<a>", "<p>"),
        .badImportedMAC("<m>"),
        .badImportedNetworkName("<name>", "<p>"),
        .badLeaseUnit("<unit>"),
        .badNetmask("<a>"),
        .badUplinkNIC("<name>", "<nic>", "<p>"),
        .netmaskNotContiguous("<a>"),
        .notAnIntegerInRange("<aName>", "<a>", "<lowerBound>", "<upperBound>"),
        .notYesOrNo("<aName>", "<a>", "<yes>", "<no>"),
        .unknownForwardMode("<modeAttribute>"),
        .hostdevPool,
        .sriovPool,
        .virtualPortNetwork("<type>"),
        .bridgeUplinkUnknown("<name>"),
        .reservationInDHCPRange("<ip>"),
        .uniqueLocalWithoutNAT("<subnet>"),
        .bareForwardTarget("<a>"),
        .networkdReservation("<rName>"),
        .leftOut("<what>", "<why>"),
        .hostAddressingUnknown("<name>"),
        .hostLinkAddressingUnknown("<name>"),
        .xmlEndsEarly("<what>"),
        .xmlExpectedName("<what>", "<shown>"),
        .xmlNoElement,
        .xmlExpectedRoot("<shown>"),
    ]
}
