/// The one owner of netc's output layout: the folders and file names of an
/// OUT, where `netc apply` installs each file on a host, the label every
/// generated file starts with, and the URN that marks a libvirt network as
/// netc's. Nothing else spells a path or the URN; `apply` asks `role(of:)`
/// what a file is instead of taking its name apart.
public enum OutputLayout {
    /// netc's folders inside OUT.
    public static let folders = ["libvirt", "networkd", "nftables", "sysctl"]

    /// The ruleset, `table inet netc`.
    public static let ruleset = "nftables/netc.nft"
    /// IP forwarding, for /etc/sysctl.d/.
    public static let sysctl = "sysctl/60-netc.conf"

    /// The namespace of the `<metadata>` element netc puts in each libvirt
    /// network it writes: a network that carries it is netc's to change or
    /// remove.
    public static let metadataURN = "urn:x-netc:network:1"

    public static func libvirtNetwork(_ name: String) -> String { "libvirt/\(name).xml" }

    /// networkd reads units in the order of their names: links first (10),
    /// then bonds (20), VLANs (30), bridges (40).
    public enum UnitKind: String, Sendable { case netdev, network }

    /// `networkd/ORDER-netc-LINK` (without the unit's suffix).
    public static func networkdBaseName(order: Int, link: String) -> String { "networkd/\(order)-netc-\(link)" }

    public static func networkdUnit(order: Int, link: String, _ kind: UnitKind) -> String {
        networkdBaseName(order: order, link: link) + "." + kind.rawValue
    }

    /// What a file of OUT is.
    public enum Role: Equatable, Sendable {
        /// A networkd unit of `link`, named `fileName` in its folder.
        case networkd(link: String, kind: UnitKind, fileName: String)
        case libvirt(network: String)
        case ruleset
        case sysctl
    }

    /// The role of a path of OUT, or nil for a path netc does not write.
    public static func role(of path: String) -> Role? {
        if path == ruleset { return .ruleset }
        if path == sysctl { return .sysctl }
        if let name = path.strip(prefix: "libvirt/"), let network = name.strip(suffix: ".xml"), !network.contains("/") {
            return .libvirt(network: String(network))
        }
        if let name = path.strip(prefix: "networkd/"), !name.contains("/") {
            for kind in [UnitKind.netdev, .network] {
                guard let base = name.strip(suffix: "." + kind.rawValue), let marker = base.range(of: "-netc-") else { continue }
                guard Int(base[..<marker.lowerBound]) != nil else { return nil }
                return .networkd(link: String(base[marker.upperBound...]), kind: kind, fileName: String(name))
            }
        }
        return nil
    }

    /// Where `netc apply` puts each kind of file, relative to the host's
    /// root.
    public enum Installed {
        /// networkd's units, under their OUT names.
        public static let networkd = "etc/systemd/network"
        public static let sysctl = "etc/sysctl.d/60-netc.conf"
        public static let ruleset = "etc/netc/netc.nft"
        /// The copy of each libvirt network as last applied (libvirt keeps
        /// its own definitions).
        public static let libvirt = "etc/netc/libvirt"
        /// Loads the ruleset at boot (`ApplyPlan.bootUnit`).
        public static let bootUnit = "etc/systemd/system/netc-nftables.service"
        public static let bootUnitLink = "etc/systemd/system/multi-user.target.wants/netc-nftables.service"

        /// Where a file of OUT with this role goes.
        public static func path(of role: Role) -> String {
            switch role {
            case .networkd(_, _, let fileName): networkd + "/" + fileName
            case .libvirt(let network): libvirt + "/" + network + ".xml"
            case .ruleset: ruleset
            case .sysctl: sysctl
            }
        }

        /// The role of an installed file, or nil for the boot unit and
        /// anything else.
        public static func role(of path: String) -> Role? {
            if path == ruleset { return .ruleset }
            if path == sysctl { return .sysctl }
            if let rest = path.strip(prefix: libvirt + "/") { return OutputLayout.role(of: "libvirt/" + rest) }
            if let rest = path.strip(prefix: networkd + "/") { return OutputLayout.role(of: "networkd/" + rest) }
            return nil
        }

        /// An installed file back at its place in an OUT (a rollback keeps
        /// the host's state as an OUT).
        public static func outPath(of path: String) -> String? {
            switch role(of: path) {
            case .networkd(_, _, let fileName)?: "networkd/" + fileName
            case .libvirt(let network)?: libvirtNetwork(network)
            case .ruleset?: OutputLayout.ruleset
            case .sysctl?: OutputLayout.sysctl
            case nil: nil
            }
        }
    }

    /// Every generated file's first line starts with one of these; a file
    /// that does not was not written by netc and is never removed. A
    /// topology without `host` (and a build without `--source-name`) gives
    /// the bare `Generated by netc.`.
    public static let labelPrefixes = ["# Generated by netc ", "# Generated by netc.", "<!-- Generated by netc ", "<!-- Generated by netc."]

    public static func isLabelled(_ contents: some StringProtocol) -> Bool {
        labelPrefixes.contains { contents.hasPrefix($0) }
    }

    /// The same for a file's bytes (the label is within its first 64).
    public static func isLabelled(bytes: some Collection<UInt8>) -> Bool {
        isLabelled(String(decoding: bytes.prefix(64), as: UTF8.self))
    }
}

extension String {
    /// The rest after `prefix`, or nil without it (also NetcIO's, for
    /// `key=value` lines).
    public func strip(prefix: String) -> Substring? { hasPrefix(prefix) ? dropFirst(prefix.count) : nil }
}

extension StringProtocol {
    func strip(suffix: String) -> SubSequence? { hasSuffix(suffix) ? dropLast(suffix.count) : nil }
}
