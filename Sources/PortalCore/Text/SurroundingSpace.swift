import Foundation

extension String {
    /// The text without white space or line breaks at either end, as `trimmingCharacters(in:
    /// .whitespacesAndNewlines)` gives it, but without Foundation's detour through UTF-16 when there is nothing to
    /// remove, which is nearly always: a sync batch reads thousands of values.
    public var withoutSurroundingSpace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        // Every character of Foundation's set has the Unicode White_Space property, so text that neither starts
        // nor ends with one is returned as it is.
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
