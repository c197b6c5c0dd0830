import Foundation

/// Search folding for Vietnamese typed on a keyboard without an input method, where the Telex or VNI keys stay in the
/// text (`ddawng kys`, `d9a8ng ky1` for `đăng ký`).
///
/// `foldQuery` first folds like `VietnameseText.fold`, then looks at each space-separated word on its own:
/// - A word that is already the plain spelling of a well-formed syllable (`sinh`, `khai`, `xa`, `tra`) is kept. The
///   one exception is `oo` before `ng`, read as Telex `ô` (`coong`, `khoong`) except in `boong`, `goong`, `xoong`.
/// - A word of letters is read as Telex: `dd` → d, `aa`/`aw` → a, `ee` → e, `oo`/`ow` → o, `uw` and a `w` that follows
///   no vowel → u, `uow`/`uwow` → uo; the vowel keys directly follow their vowel. One tone key `s` `f` `r` `x` `j` comes
///   at the end (`thuwcj`, `nguyeenx`) or after the vowels, before the final consonant (`tasn`, `tieesng`, `vieejt`),
///   except `s` before `c`, `ch`, `k`, `p`, `t`: English words end that way (`must`, `test`, `desk`).
/// - A word of letters and the digits 1–9 is read as VNI: `d9` → d, `a8`/`a6` → a, `e6` → e, `o6`/`o7` → o, `u7` → u,
///   one tone digit 1–5. Digits follow the letter they mark (`d9a8ng`, `ngu7o72i`), or come after the vowels or at the
///   end (`chung71`). One letter and one digit (`a1`, `b2`: licence classes, form numbers) is kept.
/// - A reading counts only if the keys are where typists put them and the rest is a well-formed syllable: an onset,
///   vowel cluster and final consonant that fit together, and only sắc or nặng after a stop (c, ch, k, p, t). `k` is
///   a final for highland place names (Đắk Lắk). A word with no reading, or readings that fold differently, is kept.
/// - Any other word (numbers, codes such as `1.001193`, anything with punctuation or a `0`) is kept.
///
/// Acronyms and words of several syllables run together (`ubnd`, `visa`, `taxi`) are kept because they are not one
/// syllable. Short English words that are also Telex syllables (`tax`, `how`) and a few place-name words (`Mường Toong`,
/// `Ia Tor`) are read as Telex; an index that folds its text with `foldQuery` too still matches them.
public enum TypedVietnamese {
    /// Folds a search query like `VietnameseText.fold`, and also undoes Telex and VNI keystrokes where that is unambiguous.
    public static func foldQuery(_ text: String) -> String {
        VietnameseText.fold(text).split(separator: " ").map(untype).joined(separator: " ")
    }

    /// One folded word without its keystrokes, or the word itself when it is plain, not a typed syllable, or ambiguous.
    static func untype(_ word: Substring) -> String {
        let bytes = Array(word.utf8)
        let letters = bytes.filter { (0x61...0x7A).contains($0) }.count
        let keyDigits = bytes.filter { (0x31...0x39).contains($0) }.count
        let readings: Set<String>
        if letters == bytes.count {
            if Syllable.isPlain(bytes) { return String(word) }
            readings = Syllable.readings(of: bytes, method: .telex)
        } else if letters > 0 && letters + keyDigits == bytes.count && bytes.count > 2 {
            // VNI lets the typist put every digit at the end (`huu74` for `hữu`), so that reading is tried too.
            let digitsLast = bytes.filter { $0 >= 0x61 } + bytes.filter { $0 < 0x61 }
            readings = Syllable.readings(of: bytes, method: .vni)
                .union(Syllable.readings(of: digitsLast, method: .vni, marksInline: false))
        } else {
            return String(word)
        }
        if readings.count == 1, let only = readings.first { return only }
        return String(word)
    }
}

extension TypedVietnamese {
    /// The keyboard method a word is read in.
    enum Method {
        case telex
        case vni
    }

    /// The five marked tones; a syllable without a tone key has the level tone.
    enum Tone {
        case acute, grave, hook, tilde, dot

        /// Telex tone keys `s f r x j` and VNI digits `1`–`5`.
        init?(key: UInt8, method: Method) {
            switch (method, key) {
            case (.telex, UInt8(ascii: "s")), (.vni, UInt8(ascii: "1")): self = .acute
            case (.telex, UInt8(ascii: "f")), (.vni, UInt8(ascii: "2")): self = .grave
            case (.telex, UInt8(ascii: "r")), (.vni, UInt8(ascii: "3")): self = .hook
            case (.telex, UInt8(ascii: "x")), (.vni, UInt8(ascii: "4")): self = .tilde
            case (.telex, UInt8(ascii: "j")), (.vni, UInt8(ascii: "5")): self = .dot
            default: return nil
            }
        }
    }

    /// The shape of a Vietnamese syllable (onset, vowel cluster, final consonant) and the readings of typed words.
    enum Syllable {
        /// Initial consonants, as written; `gi` and `qu` count as one.
        static let onsets = [
            "", "b", "c", "ch", "d", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "qu",
            "r", "s", "t", "th", "tr", "v", "x",
        ]
        /// Final consonants; the glides i, y, o, u belong to the vowel clusters. `k` ends highland place names
        /// (Đắk Lắk, Búk) and is a stop like `c`.
        static let codas = ["", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"]
        /// Vowel clusters that end the syllable: no final consonant follows them.
        static let openNuclei: Set<String> = [
            "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ui", "ưi", "ưu", "ưa", "ua",
            "uơ", "uya", "uyu", "iêu", "yêu", "oai", "oao", "oay", "oeo", "uôi", "ươi", "ươu", "uây",
        ]
        /// Vowel clusters that need a final consonant.
        static let closedNuclei: Set<String> = ["ă", "â", "iê", "yê", "uô", "ươ", "oă", "uâ", "uyê", "oo"]
        /// Vowel clusters with or without a final consonant.
        static let freeNuclei: Set<String> = ["a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "oa", "oe", "uê", "uy", "y"]
        /// Vowel clusters allowed without a final consonant.
        static let nucleiWithoutFinal = openNuclei.union(freeNuclei)
        /// Vowel clusters allowed before a final consonant.
        static let nucleiWithFinal = closedNuclei.union(freeNuclei)
        /// Accented vowel clusters by their folded spelling, for checking words that are already plain.
        static let nucleiByFoldedSpelling: [String: [String]] = Dictionary(
            grouping: openNuclei.union(closedNuclei).union(freeNuclei), by: { fold($0) })

        /// Whether a word of lower-case ASCII letters is the folded spelling of a well-formed syllable.
        static func isPlain(_ word: [UInt8]) -> Bool {
            let isVowel = { (byte: UInt8) in "aeiouy".utf8.contains(byte) }
            for onset in onsets where word.starts(with: onset.utf8) {
                let vowelsEnd = word[onset.utf8.count...].firstIndex { !isVowel($0) } ?? word.count
                let nucleus = String(decoding: word[onset.utf8.count..<vowelsEnd], as: UTF8.self)
                let coda = String(decoding: word[vowelsEnd...], as: UTF8.self)
                guard codas.contains(coda), let variants = nucleiByFoldedSpelling[nucleus] else { continue }
                if variants.contains(where: { isWellFormed(onset: onset, nucleus: $0, coda: coda, tone: nil) }) {
                    return true
                }
            }
            return false
        }

        /// The folded spellings of every well-formed syllable that `word` can be a typing of in `method`.
        ///
        /// With `marksInline` false, VNI digits are read only after the final consonant (`huu74`, not `hu` + `u7`).
        static func readings(of word: [UInt8], method: Method, marksInline: Bool = true) -> Set<String> {
            var readings = Set<String>()
            let barredD = method == .telex ? "dd" : "d9"
            for typedOnset in onsets + [barredD] where word.starts(with: typedOnset.utf8) {
                let onset = typedOnset == barredD ? "d" : typedOnset
                var position = typedOnset.utf8.count
                var tone: Tone?
                let nucleus = vowels(in: word, from: &position, method: marksInline ? method : nil, tone: &tone)
                guard !nucleus.isEmpty else { continue }
                if position < word.count, tone == nil, let key = Tone(key: word[position], method: method) {
                    tone = key
                    position += 1
                }
                for coda in codas where word[position...].starts(with: coda.utf8) {
                    var end = position + coda.utf8.count
                    var codaTone = tone
                    var codaNucleus = nucleus
                    switch method {
                    case .telex:
                        // English ends words in s + stop (`must`, `test`, `desk`), so a Telex `s` there is no tone.
                        if tone == .acute && ["c", "ch", "k", "p", "t"].contains(coda) { continue }
                        if end < word.count, codaTone == nil, let key = Tone(key: word[end], method: .telex) {
                            codaTone = key
                            end += 1
                        }
                    case .vni:
                        guard applyTrailingDigits(word[end...], to: &codaNucleus, tone: &codaTone, onset: typedOnset)
                        else { continue }
                        end = word.count
                    }
                    guard end == word.count,
                        isWellFormed(onset: onset, nucleus: codaNucleus, coda: coda, tone: codaTone)
                    else { continue }
                    readings.insert(onset + fold(codaNucleus) + coda)
                }
            }
            return readings
        }

        /// Reads the vowels and the vowel keys that directly follow them, e.g. `uwow` → `ươ` (Telex), `u7o7` (VNI).
        ///
        /// In VNI the tone digit may also follow the vowel that carries it inside the cluster (`ngu7o72i`); in Telex a
        /// tone letter there would make words like `visa` read as `vía`, so Telex tones come after the vowels.
        static func vowels(in word: [UInt8], from position: inout Int, method: Method?, tone: inout Tone?) -> String {
            var nucleus = ""
            func next(_ offset: Int = 1) -> Character? {
                position + offset < word.count ? Character(UnicodeScalar(word[position + offset])) : nil
            }
            while position < word.count {
                let letter = Character(UnicodeScalar(word[position]))
                let marked: Character?
                switch (method, letter, next()) {
                case (.telex, "a", "a"), (.vni, "a", "6"): marked = "â"
                case (.telex, "a", "w"), (.vni, "a", "8"): marked = "ă"
                case (.telex, "e", "e"), (.vni, "e", "6"): marked = "ê"
                case (.telex, "o", "o"), (.vni, "o", "6"): marked = "ô"
                case (.telex, "o", "w"), (.vni, "o", "7"): marked = "ơ"
                case (.telex, "u", "w"), (.vni, "u", "7"): marked = "ư"
                default: marked = nil
                }
                if let marked {
                    nucleus.append(marked)
                    position += 2
                } else if "aeiouy".contains(letter) {
                    nucleus.append(letter)
                    position += 1
                } else if method == .telex && letter == "w" {
                    nucleus.append("ư")
                    position += 1
                } else {
                    break
                }
                if method == .vni, tone == nil, position + 1 < word.count, "aeiouy".utf8.contains(word[position + 1]),
                    let key = Tone(key: word[position], method: .vni)
                {
                    tone = key
                    position += 1
                }
            }
            return nucleus
        }

        /// Applies VNI digits typed after the final consonant (`chung7`, `tien61`); false if one does not fit.
        static func applyTrailingDigits(
            _ digits: ArraySlice<UInt8>, to nucleus: inout String, tone: inout Tone?, onset: String
        ) -> Bool {
            var used = Set<UInt8>()
            for digit in digits {
                guard used.insert(digit).inserted else { return false }
                if let key = Tone(key: digit, method: .vni) {
                    guard tone == nil else { return false }
                    tone = key
                    continue
                }
                var letters = Array(nucleus)
                switch digit {
                case UInt8(ascii: "6"):
                    guard let index = letters.lastIndex(where: { "aeo".contains($0) }) else { return false }
                    letters[index] = letters[index] == "a" ? "â" : letters[index] == "e" ? "ê" : "ô"
                case UInt8(ascii: "7"):
                    if let index = letters.firstIndex(where: { "uo".contains($0) }) {
                        letters[index] = letters[index] == "u" ? "ư" : "ơ"
                        if letters[index] == "ư", index + 1 < letters.count, letters[index + 1] == "o" {
                            letters[index + 1] = "ơ"
                        }
                    } else {
                        return false
                    }
                case UInt8(ascii: "8"):
                    guard let index = letters.lastIndex(of: "a") else { return false }
                    letters[index] = "ă"
                case UInt8(ascii: "9"):
                    guard onset == "d" else { return false }
                default:
                    return false
                }
                nucleus = String(letters)
            }
            return true
        }

        /// Whether the parts make a well-formed syllable; the spellings of `ươ` that typing leaves (`uơ`, `ưo`) count.
        static func isWellFormed(onset: String, nucleus rawNucleus: String, coda: String, tone: Tone?) -> Bool {
            var nucleus = rawNucleus.replacingOccurrences(of: "ưo", with: "ươ")
            if nucleus.count > 2 || (nucleus.count == 2 && !coda.isEmpty) {
                nucleus = nucleus.replacingOccurrences(of: "uơ", with: "ươ")
            }
            let allowed = coda.isEmpty ? nucleiWithoutFinal : nucleiWithFinal
            guard allowed.contains(nucleus), let first = fold(nucleus).first else { return false }
            switch coda {
            // `y` takes a final only after `qu` (quỳnh, quýt), where the u belongs to the onset.
            case "ch", "nh": guard ["a", "ê", "i", "oa", "uê", "uy", "y"].contains(nucleus) else { return false }
            case "c", "k", "ng": guard !["i", "ê", "uy", "y"].contains(nucleus) else { return false }
            default: break
            }
            // Stops (c, ch, k, p, t) carry only the sắc and nặng tones.
            if ["c", "ch", "k", "p", "t"].contains(coda), let tone, tone != .acute, tone != .dot { return false }
            // `oo` is spelled out only in a few loanwords; elsewhere `oo` is Telex for `ô`.
            if nucleus == "oo" && coda != "c" && !(coda == "ng" && ["b", "g", "x"].contains(onset)) { return false }
            if nucleus == "y" && !coda.isEmpty && onset != "qu" { return false }
            // `k` is not limited to e, i, y like gh and ngh: it spells highland place names (Kon Tum, Bắc Kạn).
            switch onset {
            case "gh", "ngh": return "eiy".contains(first)
            case "c", "ng": return !"eiy".contains(first)
            case "g": return !"ey".contains(first)
            case "gi": return first != "i"
            case "qu": return first != "u"
            default: return !nucleus.hasPrefix("yê") || onset.isEmpty
            }
        }

        /// A vowel cluster without its diacritics.
        static func fold(_ nucleus: String) -> String {
            String(
                nucleus.map { letter -> Character in
                    switch letter {
                    case "ă", "â": "a"
                    case "ê": "e"
                    case "ô", "ơ": "o"
                    case "ư": "u"
                    default: letter
                    }
                })
        }
    }
}
