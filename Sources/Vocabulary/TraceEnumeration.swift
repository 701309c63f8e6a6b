/// An enum whose cases are an enumeration field's values in a trace: the stored code is the
/// case's position, the text its name in snake_case (`addressSpace` → `address_space`), so a
/// schema lists `Self.names` and never spells the values a second time.
package protocol TraceEnumeration: CaseIterable {}

extension TraceEnumeration {
    /// The case's name in the trace.
    package var traceName: String {
        var out = ""
        for c in String(describing: self) {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    /// Every case's name, in declaration order (the field's values).
    package static var names: [String] { allCases.map(\.traceName) }

    /// The case a trace name stands for (`address_space` → `addressSpace`), nil for none.
    package init?(traceName: String) {
        guard let c = Self.allCases.first(where: { $0.traceName == traceName }) else { return nil }
        self = c
    }
}
