/// The artifact of `netc import libvirt`: a topology as the import writes
/// it, every key with the comments that explain a choice the import made.
/// Laid out by templates/topology.yaml.mustache. Values are already valid
/// topology text (names, addresses and numbers checked by the importer);
/// comments are single lines.
public struct ImportedTopology: Sendable {
    /// A value and the comment lines written above its key.
    public struct Item: Sendable {
        public var value: String
        public var comments: [String] = []
    }

    /// A host link the networks name but the XML does not describe.
    public struct Interface: Sendable {
        public var name: String
        public var comments: [String]
    }

    public struct Reservation: Sendable {
        public var name: String
        public var mac: String
        public var ip: String
        public var comments: [String] = []
    }

    public struct DHCP: Sendable {
        public var start: String
        public var end: String
        /// A topology duration (`30m`), absent for the default (1h).
        public var lease: String?
        /// `<bootp file server>`: PXE.
        public var bootFile: String?
        public var bootServer: String?
        /// The ranges after the first: `dhcp` is then a list.
        public var more: [Range] = []
        /// This range as the mapping form of `dhcp` (one range), or as the
        /// first of the list form (several).
        public var asMapping: DHCP? { more.isEmpty ? self : nil }
        public var asList: DHCP? { more.isEmpty ? nil : self }
    }

    public struct Range: Sendable {
        public var start: String
        public var end: String
    }

    /// One name of `dns_hosts`: its address, or a flow list of several.
    public struct DNSHost: Sendable {
        public var name: String
        public var addresses: String
    }

    /// `ipv4:` or `ipv6:` of a guest network.
    public struct Family: Sendable {
        public var comments: [String] = []
        public var subnet: String
        public var gateway: String
        public var dhcp: DHCP?
        public var reservations: [Reservation] = []
        public var hasReservations: Bool { !reservations.isEmpty }
        /// IPv6 in nat mode: `nat: true|false`.
        public var nat: Item?
    }

    public struct Network: Sendable {
        public var name: String
        public var comments: [String] = []
        public var mode: Item
        public var bridge: Item?
        public var uplink: Item?
        public var macvtapMode: Item?
        public var stp: Item?
        public var forwardDelay: Item?
        public var mtu: Item?
        public var domain: Item?
        public var dnsHosts: [DNSHost] = []
        public var hasDNSHosts: Bool { !dnsHosts.isEmpty }
        /// `security: {isolate_guests: true}` from `<port isolated='yes'/>`.
        public var isolateGuests: Item?
        public var ipv4: Family?
        public var ipv6: Family?
    }

    public var header: [String]
    public var interfaces: [Interface]
    public var networks: [Network]
    public var hasInterfaces: Bool { !interfaces.isEmpty }
}
