/// The sysctl artifact (`OutputLayout.sysctl`), for /etc/sysctl.d/.
public struct SysctlFile: Sendable {
    public struct Setting: Sendable {
        public var key: String
        public var value: String
    }

    public var header: [String]
    /// In the order they are applied.
    public var settings: [Setting]
}

/// sysctl planner: IP forwarding, the same on every systemd version
/// (networkd's `IPForward=` does nothing from systemd 256 on). A family is
/// forwarded when some network routes it: a nat or route network, or a
/// network with peers. No file when nothing is forwarded.
enum SysctlPlanner {
    static func plan(_ t: Topology, header: [String]) -> SysctlFile? {
        var ipv4 = false, ipv6 = false
        for n in t.networks {
            guard let g = n.guest, g.isRouted else { continue }
            ipv4 = ipv4 || g.ipv4 != nil
            ipv6 = ipv6 || g.ipv6 != nil
        }
        var settings: [SysctlFile.Setting] = []
        if ipv4 { settings.append(.init(key: "net.ipv4.ip_forward", value: "1")) }
        if ipv6 { settings.append(.init(key: "net.ipv6.conf.all.forwarding", value: "1")) }
        return settings.isEmpty ? nil : SysctlFile(header: header, settings: settings)
    }
}
