import Foundation

/// Text helpers for Vietnamese: folding for accent-insensitive search and number formatting for people.
public enum VietnameseText {
    /// Folds text for search: lower case, diacritics removed (`đ` → `d` included), runs of white space collapsed.
    ///
    /// `Đăng ký  KHAI SINH` folds to `dang ky khai sinh`.
    public static func fold(_ text: String) -> String {
        var folded = ""
        folded.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        // NFD splits every accented letter into its base letter and combining marks, which are then dropped;
        // đ/Đ is a letter of its own (not a d with a mark), so it is mapped by hand.
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                pendingSpace = !folded.isEmpty
                continue
            }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            let mapped: Character
            switch scalar {
            case "đ", "Đ": mapped = "d"
            default: mapped = Character(String(scalar).lowercased())
            }
            if pendingSpace {
                folded.append(" ")
                pendingSpace = false
            }
            folded.append(mapped)
        }
        return folded
    }

    /// Formats an amount of đồng for people: `1.500.000 ₫`.
    public static func formatDong(_ amount: Int64) -> String {
        formatNumber(amount) + " ₫"
    }

    /// Formats a whole number with Vietnamese thousands separators: `1.500.000`.
    public static func formatNumber(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}
