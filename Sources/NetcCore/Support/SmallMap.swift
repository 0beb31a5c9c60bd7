/// A map for the handful of keys of one YAML mapping: a linear scan of a
/// small array beats hashing (and allocates one buffer, not a table).
public struct SmallMap<Value> {
    /// Keys and values apart, so that a lookup compares keys without
    /// touching (copying) the values.
    public private(set) var keys: [String] = []
    public private(set) var values: [Value] = []

    public init() {}

    public mutating func reserveCapacity(_ n: Int) {
        keys.reserveCapacity(n)
        values.reserveCapacity(n)
    }

    /// Adds a key the map does not hold yet (the caller knows: YAML keys of
    /// one mapping are unique by then).
    public mutating func append(_ key: String, _ value: Value) {
        keys.append(key)
        values.append(value)
    }

    public subscript(_ key: String) -> Value? {
        get {
            for i in keys.indices where keys[i] == key { return values[i] }
            return nil
        }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue { values[i] = newValue } else { keys.remove(at: i); values.remove(at: i) }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }
}

extension SmallMap: Sendable where Value: Sendable {}
