import Foundation
import Testing

@testable import PortalCore

@Suite struct RecoveryCodesTests {
    @Test func tenCodesByDefaultOrAsManyAsAsked() {
        #expect(RecoveryCodes.generate().count == 10)
        #expect(RecoveryCodes.generate(count: 3).count == 3)
        #expect(RecoveryCodes.generate(count: 0).isEmpty)
    }

    @Test func codesInABatchAreDistinct() {
        let codes = RecoveryCodes.generate(count: 500)
        #expect(Set(codes).count == 500)
    }

    @Test func theAlphabetHasNoLookAlikesAndGivesAboutSixtyBits() {
        let alphabet = Set(RecoveryCodes.alphabet)
        #expect(alphabet.count == 31)
        #expect(alphabet.isDisjoint(with: ["0", "o", "1", "l", "i"]))
        #expect(alphabet.allSatisfy { ($0.isLowercase && $0.isASCII) || ("2"..."9").contains($0) })
        let bits = Double(RecoveryCodes.symbolsPerCode) * log2(Double(alphabet.count))
        #expect(bits > 59 && bits < 61)
    }

    @Test func codesAreThreeGroupsOfFourSymbolsFromTheAlphabet() {
        let alphabet = Set(RecoveryCodes.alphabet)
        for code in RecoveryCodes.generate(count: 50) {
            let groups = code.split(separator: "-", omittingEmptySubsequences: false)
            #expect(groups.count == 3, "\(code)")
            #expect(groups.allSatisfy { $0.count == 4 && $0.allSatisfy(alphabet.contains) }, "\(code)")
        }
    }

    @Test func everySymbolOfTheAlphabetTurnsUp() {
        // 2,400 draws from 31 symbols: a symbol missing by chance has probability about 31 × e⁻⁷⁸.
        let symbols = Set(RecoveryCodes.generate(count: 200).joined().filter { $0 != "-" })
        #expect(symbols == Set(RecoveryCodes.alphabet))
    }

    @Test func aSeededGeneratorGivesTheSameCodes() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        #expect(RecoveryCodes.generate(count: 5, using: &first) == RecoveryCodes.generate(count: 5, using: &second))
    }

    @Test(arguments: [
        ("k7m2-q9xd-4tpa", "k7m2q9xd4tpa"), ("K7M2 Q9XD 4TPA", "k7m2q9xd4tpa"), (" k7m2q9xd-4TPA\n", "k7m2q9xd4tpa"),
        ("K7M2--Q9XD", "k7m2q9xd"),
    ])
    func normalizingIgnoresCaseSpacesAndDashes(input: String, normalized: String) {
        #expect(RecoveryCodes.normalize(input) == normalized)
    }

    @Test func aGeneratedCodeNormalizesToItsTwelveSymbols() {
        for code in RecoveryCodes.generate(count: 20) {
            let normalized = RecoveryCodes.normalize(code)
            #expect(normalized.count == 12)
            #expect(RecoveryCodes.normalize(code.uppercased().replacingOccurrences(of: "-", with: " ")) == normalized)
        }
    }
}
