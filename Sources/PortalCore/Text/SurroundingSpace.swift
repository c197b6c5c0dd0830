import Foundation

extension String {
    /// The text without white space or line breaks at either end, as `trimmingCharacters(in:
    /// .whitespacesAndNewlines)` gives it, but without Foundation's detour through UTF-16 when there is nothing to
    /// remove, which is nearly always: a sync batch reads thousands of values.
    public var withoutSurroundingSpace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        // Text that neither starts nor ends with a character of Foundation's set is returned as it is.
        if !Self.mayBeSpace(first) && !Self.mayBeSpace(last) { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether a scalar is in Foundation's `whitespacesAndNewlines`: the White_Space property and U+200B, without the
    /// property table's lookup for the ASCII letters, digits and punctuation that nearly all values start and end
    /// with.
    static func mayBeSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20: true
        case ..<0x80: false
        // Foundation's set also holds the zero-width space, which Unicode does not count as white space.
        case 0x200B: true
        default: scalar.properties.isWhitespace
        }
    }
}
