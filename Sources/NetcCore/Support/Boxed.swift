/// A value kept out of line: the struct holding it stays small, so arrays of
/// such structs copy and grow cheaply (the syntax and model structs hold
/// large optional parts: a network's addressing, an interface's).
@propertyWrapper
public struct Boxed<T: Sendable>: Sendable {
    private indirect enum Storage: Sendable { case value(T) }
    private var storage: Storage

    public init(wrappedValue: T) { storage = .value(wrappedValue) }

    public var wrappedValue: T {
        get { switch storage { case .value(let v): v } }
        set { storage = .value(newValue) }
    }
}

/// A map for the handful of keys of one YAML mapping: a linear scan of a
/// small array beats hashing (and allocates one buffer, not a table).
public struct SmallMap<Value> {
    public private(set) var entries: [(key: String, value: Value)] = []

    public init() {}

    public subscript(_ key: String) -> Value? {
        get {
            for e in entries where e.key == key { return e.value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }
}

extension SmallMap: Sendable where Value: Sendable {}
