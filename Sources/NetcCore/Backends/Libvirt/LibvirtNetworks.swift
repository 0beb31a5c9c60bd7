/// The libvirt artifact: one typed `<network>` element per network, laid
/// out by templates/libvirt-network.xml.mustache.
public struct LibvirtNetworkFile: Sendable {
    /// `<forward mode='bridge'/>` and `<bridge name='B'/>`: guests attach to
    /// a bridge that networkd manages.
    public struct Bridged: Sendable {
        public var bridge: String
    }
    /// `<forward mode='M'><interface dev='D'/></forward>`: macvtap.
    public struct Direct: Sendable {
        public var mode: String
        public var device: String
    }

    /// XML-comment-safe header lines.
    public var header: [String]
    public var name: String
    public var bridged: Bridged?
    public var direct: Direct?

    public var path: String { "libvirt/\(name).xml" }
}

/// libvirt planner: `Topology` -> one network element per network.
enum LibvirtPlanner {
    static func plan(_ t: Topology, header: [String]) -> [LibvirtNetworkFile] {
        // "--" may not appear inside an XML comment (a host name may hold it).
        let header = header.map { line in
            var l = line
            while l.contains("--") { l = l.replacingOccurrences(of: "--", with: "- -") }
            return l
        }
        return t.networks.map { n in
            var file = LibvirtNetworkFile(header: header, name: n.name)
            switch n.mode {
            case .macvtap(let m):
                file.direct = .init(mode: m.mode.rawValue, device: t[m.uplink].name)
            default:
                file.bridged = .init(bridge: n.bridge!.name)
            }
            return file
        }
    }
}
