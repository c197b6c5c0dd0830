import PortalCore

/// Splits a name into runs that match the query words (ignoring case and accents) and runs that do not, so that a
/// template can wrap the matches in `<mark>` while Mustache still escapes every run.
enum Highlighter {
    /// One run of text.
    struct Segment: Sendable, Equatable {
        let text: String
        let match: Bool
    }

    static func segments(of text: String, words: [String]) -> [Segment] {
        let characters = Array(text)
        var folded: [Character] = []
        var origin: [Int] = []
        for (index, character) in characters.enumerated() {
            let piece = character.isWhitespace ? " " : VietnameseText.fold(String(character))
            for foldedCharacter in piece {
                folded.append(foldedCharacter)
                origin.append(index)
            }
        }
        var marked = [Bool](repeating: false, count: characters.count)
        for word in words.map(Array.init) where !word.isEmpty && word.count <= folded.count {
            for start in 0...(folded.count - word.count) where Array(folded[start..<start + word.count]) == word {
                for position in start..<start + word.count { marked[origin[position]] = true }
            }
        }
        var segments: [Segment] = []
        var current = ""
        var currentMatch = false
        for (index, character) in characters.enumerated() {
            if marked[index] != currentMatch && !current.isEmpty {
                segments.append(Segment(text: current, match: currentMatch))
                current = ""
            }
            currentMatch = marked[index]
            current.append(character)
        }
        if !current.isEmpty { segments.append(Segment(text: current, match: currentMatch)) }
        return segments
    }
}
