/// Check stage: semantic checks on the syntax model, then the validated
/// `Topology` (Check/ModelBuilder.swift) when nothing is wrong.
public enum TopologyChecker {
    /// Diagnostics of a parse and its checks, sorted by position.
    public static func diagnose(_ parsed: (TopologySyntax?, [Diagnostic])) -> [Diagnostic] {
        var bag = DiagnosticBag()
        bag.append(contentsOf: parsed.1)
        if let syntax = parsed.0 { bag.append(contentsOf: validate(syntax)) }
        return bag.sorted
    }

    /// The validated topology (nil when there are errors) and the sorted
    /// diagnostics.
    public static func check(_ parsed: (TopologySyntax?, [Diagnostic])) throws -> (Topology?, [Diagnostic]) {
        let diagnostics = diagnose(parsed)
        guard let syntax = parsed.0, !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        return (try ModelBuilder.build(syntax), diagnostics)
    }

    /// The semantic checks alone (unsorted).
    public static func validate(_ t: TopologySyntax) -> [Diagnostic] {
        var v = Checks(t: t)
        v.run()
        return v.bag.diagnostics
    }
}

/// The state of one validation run; the checks live in the extensions in
/// this folder, one file per concern.
struct Checks {
    let t: TopologySyntax
    var bag = DiagnosticBag()

    var interfaces: [String: InterfaceSyntax] = [:]
    var networks: [String: NetworkSyntax] = [:]
    /// Bridges of `bridge`-mode networks, usable as nat/route uplinks.
    var lanBridges: [String: NetworkSyntax] = [:]

    /// Who enslaves each interface: a bond (as member) or a bridge (as uplink).
    var enslavedBy: [String: (by: String, range: SourceRange)] = [:]

    init(t: TopologySyntax) { self.t = t }

    mutating func run() {
        for i in t.interfaces { interfaces[i.name.value] = i }
        for n in t.networks { networks[n.name.value] = n }
        for n in t.networks where n.mode?.value == .bridge {
            if let b = n.bridge { lanBridges[b.value] = n }
        }
        checkNames()
        for i in t.interfaces { checkInterface(i) }
        checkClaims()
        for n in t.networks { checkNetwork(n) }
        checkOverlaps()
        checkForwardPorts()
    }

    // MARK: Helpers

    mutating func notAllowed(_ keys: KeyRanges, _ key: String, _ why: String) {
        if let r = keys[key] { bag.add(.E401, "'\(key)' is not allowed \(why)", at: r) }
    }

    mutating func required(_ keys: KeyRanges, _ key: String, _ why: String) {
        if keys[key] == nil, !keys.misspelled.contains(key) { bag.add(.E402, "'\(key)' is required \(why)", at: keys.mapping) }
    }
}
