import Foundation
import PortalCore
import Testing

@Suite struct SurroundingSpaceTests {
    /// `withoutSurroundingSpace` gives what Foundation's trimming gives, for text starting or ending with any
    /// character of the Basic Multilingual Plane and a few beyond. (It found that Foundation's set holds U+200B,
    /// which has no White_Space property.)
    @Test func itTrimsAsFoundationTrims() {
        let scalars = (0..<0x10000).compactMap(Unicode.Scalar.init) + ["\u{1F600}", "\u{E0020}"]
        for scalar in scalars {
            let mark = String(scalar)
            for text in [mark + "Hà Nội", "Hà Nội" + mark, mark + "x" + mark, mark] {
                #expect(
                    text.withoutSurroundingSpace == text.trimmingCharacters(in: .whitespacesAndNewlines),
                    "U+\(String(scalar.value, radix: 16))")
            }
        }
    }
}
