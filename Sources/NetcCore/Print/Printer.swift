/// Print stage: the planners' artifacts -> files, through the templates
/// compiled from templates/ (see `CompiledTemplates`).
enum Printer {
    /// - Parameter size: the buffer to print into, in bytes; the last file
    ///   of the same template sets the next one's (`Size`).
    static func file(_ path: String, size: inout Size, _ print: (inout TemplateOutput) -> Void) throws -> OutputFile {
        var out = TemplateOutput(capacity: size.next)
        print(&out)
        if !out.problems.isEmpty {
            throw InternalError("printing \(path): " + out.problems.joined(separator: "; "))
        }
        size.printed(out.bytes.count)
        return OutputFile(path: path, bytes: out.bytes)
    }

    static func file(_ path: String, _ print: (inout TemplateOutput) -> Void) throws -> OutputFile {
        var size = Size()
        return try file(path, size: &size, print)
    }

    /// How large a buffer the next file of a template gets: the last one's
    /// size and a little more (files of one template differ by a few names
    /// and addresses), 512 bytes for the first: a fixed size would waste a
    /// page-faulted buffer on every small file of a large build.
    struct Size {
        private(set) var next = 512

        mutating func printed(_ count: Int) { next = count + 64 }
    }

    static func networkd(_ links: ArraySlice<NetworkdLink>) throws -> [OutputFile] {
        var files: [OutputFile] = []
        files.reserveCapacity(links.count * 2)
        var netdevSize = Size(), networkSize = Size()
        for link in links {
            if let netdev = link.netdev {
                files.append(try file(link.path(.netdev), size: &netdevSize) { CompiledTemplates.networkd_netdev(netdev, &$0) })
            }
            files.append(try file(link.path(.network), size: &networkSize) { CompiledTemplates.networkd_network(link.network, &$0) })
        }
        return files
    }

    static func libvirt(_ networks: [LibvirtNetworkFile]) throws -> [OutputFile] {
        var size = Size()
        return try networks.map { n in try file(n.path, size: &size) { CompiledTemplates.libvirt_network_xml(n, &$0) } }
    }

    static func sysctl(_ file: SysctlFile) throws -> OutputFile {
        try Printer.file(OutputLayout.sysctl) { CompiledTemplates.sysctl_conf(file, &$0) }
    }

    static func nftables(_ ruleset: NftRuleset) throws -> OutputFile {
        try file(OutputLayout.ruleset) { CompiledTemplates.netc_nft(ruleset, &$0) }
    }
}
