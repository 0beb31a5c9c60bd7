/// Check stage: semantic checks on the syntax model, then the validated
/// `Topology` (Check/ModelBuilder.swift) when nothing is wrong.
public enum TopologyChecker {
    /// Diagnostics of a parse and its checks, sorted by position.
    public static func diagnose(_ parsed: (TopologySyntax?, [Diagnostic])) -> [Diagnostic] {
        diagnose(parsed, names: parsed.0.map(NameIndex.init))
    }

    static func diagnose(_ parsed: (TopologySyntax?, [Diagnostic]), names: NameIndex?) -> [Diagnostic] {
        var bag = DiagnosticBag()
        bag.append(contentsOf: parsed.1)
        if let syntax = parsed.0, let names { bag.append(contentsOf: validate(syntax, names: names)) }
        return bag.sorted
    }

    /// The validated topology (nil when there are errors) and the sorted
    /// diagnostics. The names are resolved once, for the checks and the
    /// model builder.
    public static func check(_ parsed: (TopologySyntax?, [Diagnostic])) throws -> (Topology?, [Diagnostic]) {
        let names = parsed.0.map(NameIndex.init)
        let diagnostics = diagnose(parsed, names: names)
        guard let syntax = parsed.0, let names, !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        return (try ModelBuilder(syntax, names: names).build(), diagnostics)
    }

    /// The semantic checks alone (unsorted).
    public static func validate(_ t: TopologySyntax) -> [Diagnostic] {
        validate(t, names: NameIndex(t))
    }

    static func validate(_ t: TopologySyntax, names: NameIndex) -> [Diagnostic] {
        var v = Checks(t: t, names: names)
        v.run()
        return v.bag.diagnostics
    }
}

/// The topology's names, resolved once for the checks and the model
/// builder: interfaces and networks by name, and the bridges of
/// bridge-mode networks (which nat and route networks may name as uplink).
/// Positions are in declaration order; the first of a name wins (a second
/// one is E103/E104's business).
struct NameIndex {
    let interfaces: ByName<InterfaceSyntax>
    let networks: ByName<NetworkSyntax>
    /// Bridge name -> its bridge-mode network.
    let lanBridges: ByName<NetworkSyntax>

    init(_ t: TopologySyntax) {
        interfaces = ByName(t.interfaces) { $0.name.value }
        networks = ByName(t.networks) { $0.name.value }
        lanBridges = ByName(t.networks) { $0.mode?.value == .bridge ? $0.bridge?.value : nil }
    }
}

/// The state of one validation run; the checks live in the extensions in
/// this folder, one file per concern.
struct Checks {
    let t: TopologySyntax
    var bag = DiagnosticBag()

    let names: NameIndex
    var interfaces: ByName<InterfaceSyntax> { names.interfaces }
    var networks: ByName<NetworkSyntax> { names.networks }
    /// Bridges of `bridge`-mode networks, usable as nat/route uplinks.
    var lanBridges: ByName<NetworkSyntax> { names.lanBridges }

    /// Who enslaves each interface: a bond (as member) or a bridge (as uplink).
    var enslavedBy: [String: (by: Claimant, range: SourceRange)] = [:]

    init(t: TopologySyntax, names: NameIndex) {
        self.t = t
        self.names = names
    }

    mutating func run() {
        checkNames()
        for i in t.interfaces { checkInterface(i) }
        checkClaims()
        for n in t.networks { checkNetwork(n) }
        checkOverlaps()
        checkForwardPorts()
    }

    // MARK: Helpers

    mutating func notAllowed(_ keys: KeyRanges, _ key: String, _ why: @autoclosure () -> String) {
        if let r = keys[key] { bag.add(.notAllowed(key, why()), at: r) }
    }

    mutating func required(_ keys: KeyRanges, _ key: String, _ why: @autoclosure () -> String) {
        if keys[key] == nil, !keys.misspelled.contains(key) { bag.add(.keyRequired(key, why()), at: keys.mapping) }
    }
}

/// Who enslaves an interface (for messages; compared, not formatted, until
/// a diagnostic needs it).
enum Claimant: Equatable, CustomStringConvertible {
    case bond(String)
    case bridgeOfNetwork(String)

    var description: String {
        switch self {
        case .bond(let b): "bond '\(b)'"
        case .bridgeOfNetwork(let n): "the bridge of network '\(n)'"
        }
    }

    var isBond: Bool { if case .bond = self { true } else { false } }
}

/// Items of an array looked up by a name, without copying them: the index
/// holds positions only (the syntax structs are large).
struct ByName<T> {
    let items: [T]
    private(set) var index: [String: Int] = [:]

    /// The first item of each name wins; items without a name are left out.
    init(_ items: [T], name: (T) -> String?) {
        self.items = items
        index.reserveCapacity(items.count)
        for (i, x) in items.enumerated() {
            if let n = name(x), index[n] == nil { index[n] = i }
        }
    }

    subscript(_ name: String) -> T? { index[name].map { items[$0] } }
    /// The position of the item of this name.
    func position(of name: String) -> Int? { index[name] }
    var keys: Dictionary<String, Int>.Keys { index.keys }
    var values: LazyMapSequence<Dictionary<String, Int>.Values, T> { index.values.lazy.map { items[$0] } }
}
