import Foundation

/// Removes personal data from text before it is published: e-mail addresses, runs of digits long enough to be a
/// phone number, an identification number or a tax code, and the names the caller knows belong to the people
/// concerned. What is removed becomes `***`. The serial part of a dossier code goes too (it leads to someone's
/// dossier); dates written with slashes stay.
public enum PersonalDataRedaction {
    public static let mask = "***"

    /// The text with personal data replaced by `***`.
    public static func redact(_ text: String, names: [String] = []) -> String {
        var result = text
        // E-mail addresses.
        result = result.replacingOccurrences(
            of: #"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"#, with: mask, options: .regularExpression)
        // Nine or more digits, possibly grouped by spaces, dots or dashes, possibly after +84: phone numbers,
        // 9- and 12-digit identification numbers, tax codes with their branch suffix.
        result = result.replacingOccurrences(
            of: #"(\+?\d[\s.\-]?){8,}\d"#, with: mask, options: .regularExpression)
        // Known names, whatever their case or accents: each name's folded form is searched in the folded text.
        for name in names.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where name.count >= 2 {
            result = replaceFolded(name, in: result)
        }
        return result
    }

    /// Replaces every occurrence of `name` (compared folded: no case, no accents) in `text` by the mask.
    static func replaceFolded(_ name: String, in text: String) -> String {
        let target = Array(VietnameseText.fold(name))
        guard !target.isEmpty else { return text }
        let characters = Array(text)
        // Fold character by character so that positions in the folded text map back to the original.
        let folded = characters.map { character -> Character in
            let one = VietnameseText.fold(String(character))
            return one.count == 1 ? one.first! : (character.isWhitespace ? " " : character)
        }
        var output = ""
        var index = 0
        while index < characters.count {
            if index + target.count <= characters.count, Array(folded[index..<index + target.count]) == target,
                index == 0 || !folded[index - 1].isLetter,
                index + target.count == characters.count || !folded[index + target.count].isLetter
            {
                output += mask
                index += target.count
            } else {
                output.append(characters[index])
                index += 1
            }
        }
        return output
    }
}
