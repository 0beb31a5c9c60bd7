/// Print stage: the planners' artifacts -> files, through the templates
/// compiled from templates/ (see `CompiledTemplates`).
enum Printer {
    static func file(_ path: String, _ print: (inout TemplateOutput) -> Void) throws -> OutputFile {
        var out = TemplateOutput()
        print(&out)
        if !out.problems.isEmpty {
            throw InternalError("printing \(path): " + out.problems.joined(separator: "; "))
        }
        return OutputFile(path: path, bytes: out.bytes)
    }

    static func networkd(_ links: ArraySlice<NetworkdLink>) throws -> [OutputFile] {
        var files: [OutputFile] = []
        files.reserveCapacity(links.count * 2)
        for link in links {
            if let netdev = link.netdev {
                files.append(try file(link.baseName + ".netdev") { CompiledTemplates.networkd_netdev(netdev, &$0) })
            }
            files.append(try file(link.baseName + ".network") { CompiledTemplates.networkd_network(link.network, &$0) })
        }
        return files
    }

    static func libvirt(_ networks: [LibvirtNetworkFile]) throws -> [OutputFile] {
        try networks.map { n in try file(n.path) { CompiledTemplates.libvirt_network_xml(n, &$0) } }
    }

    static func sysctl(_ file: SysctlFile) throws -> OutputFile {
        try Printer.file(SysctlFile.path) { CompiledTemplates.sysctl_conf(file, &$0) }
    }

    static func nftables(_ ruleset: NftRuleset) throws -> OutputFile {
        try file("nftables/netc.nft") { CompiledTemplates.netc_nft(ruleset, &$0) }
    }
}
