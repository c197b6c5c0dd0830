import Foundation
import Testing

@testable import PortalCore

@Suite struct QRCodeTests {
    @Test(arguments: QRCodeFixtures.matrices)
    func theMatrixEqualsTheIndependentEncoders(fixture: QRCodeFixtures.Matrix) throws {
        let code = try QRCode(text: fixture.text, correction: fixture.level)
        #expect(code.version == fixture.version)
        #expect(code.mask == fixture.mask)
        #expect(code.size == fixture.rows.count)
        let rows = (0..<code.size).map { y in
            String((0..<code.size).map { x in code.isDark(x: x, y: y) ? "1" : "0" })
        }
        // One failure naming the first differing row says more than a hundred row-by-row ones.
        let firstDifference = zip(rows, fixture.rows).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "row \(firstDifference?.offset ?? -1): \(firstDifference?.element.0 ?? "")")
    }

    @Test(arguments: QRCodeFixtures.digests)
    func aSymbolFilledToCapacityEqualsTheIndependentEncoders(fixture: QRCodeFixtures.Digest) throws {
        #expect(QRCode.byteCapacity(version: fixture.version, correction: fixture.level) == fixture.capacity)
        if fixture.version < 40 {
            #expect(
                QRCode.smallestVersion(holding: fixture.capacity + 1, correction: fixture.level) == fixture.version + 1)
        }
        let text = QRCodeFixtures.filler(length: fixture.capacity, version: fixture.version)
        let code = try QRCode(text: text, correction: fixture.level)
        #expect(code.version == fixture.version)
        #expect(code.size == 17 + 4 * fixture.version)
        #expect(code.mask == fixture.mask)
        #expect(QRCodeFixtures.fnv1a(code) == fixture.fnv1a)
    }

    @Test func theProvisioningURIFixtureIsWhatTOTPProduces() throws {
        let fixture = try #require(QRCodeFixtures.matrices.first { $0.name == "otpauthURI" })
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        #expect(totp.provisioningURI(issuer: "Cổng DVC", account: "nguyen.van.a@example.vn") == fixture.text)
    }

    @Test func textLongerThanVersionFortyIsRefused() {
        #expect(QRCode.byteCapacity(version: 40, correction: .medium) == 2331)
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 2332, maximum: 2331)) {
            try QRCode(text: String(repeating: "a", count: 2332))
        }
        // Vietnamese letters take two or three bytes in UTF-8: 800 × "ữ" is 2,400 bytes.
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 2400, maximum: 2331)) {
            try QRCode(text: String(repeating: "ữ", count: 800))
        }
    }

    @Test func emptyTextIsTheSmallestSymbol() throws {
        let code = try QRCode(text: "")
        #expect(code.version == 1)
        #expect(code.size == 21)
    }

    @Test func modulesOutsideTheSymbolAreLight() throws {
        let code = try QRCode(text: "HELLO WORLD")
        #expect(code.isDark(x: 0, y: 0))
        #expect(!code.isDark(x: -1, y: 0))
        #expect(!code.isDark(x: 0, y: code.size))
        #expect(!code.isDark(x: code.size, y: 0))
    }

    @Test(arguments: 0..<8)
    func everyPinnedMaskKeepsFormatInformationConsistent(mask: Int) throws {
        let code = try QRCode(bytes: Array("HELLO WORLD".utf8), correction: .medium, mask: mask)
        #expect(code.mask == mask)
        // The two copies of the format information (ISO/IEC 18004 figure 25) must agree and name level M and the mask.
        var first = 0
        var second = 0
        let firstCopy =
            [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
        let secondCopy = (0..<8).map { (code.size - 1 - $0, 8) } + (8..<15).map { (8, code.size - 15 + $0) }
        for (index, (x, y)) in firstCopy.enumerated() where code.isDark(x: x, y: y) { first |= 1 << index }
        for (index, (x, y)) in secondCopy.enumerated() where code.isDark(x: x, y: y) { second |= 1 << index }
        #expect(first == second)
        let unmasked = first ^ 0x5412
        #expect(unmasked >> 13 == 0b00)
        #expect((unmasked >> 10) & 0b111 == mask)
    }

    @Test func theSVGDrawsExactlyTheDarkModules() throws {
        let code = try QRCode(text: QRCodeFixtures.matrices[1].text)
        let svg = code.svg(moduleSize: 5, quietZone: 4)
        let side = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("width=\"\(side * 5)\" height=\"\(side * 5)\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(svg.hasSuffix("</svg>"))

        let data = try #require(svg.firstMatch(of: /<path fill="#000" d="([^"]*)"\/>/)).1
        var drawn = Set<[Int]>()
        var runs = 0
        for run in data.matches(of: /M(\d+) (\d+)h(\d+)v1h-(\d+)z/) {
            let (left, top, width, back) = (Int(run.1) ?? -1, Int(run.2) ?? -1, Int(run.3) ?? -1, Int(run.4) ?? -2)
            #expect(width == back)
            for x in left..<(left + width) { #expect(drawn.insert([x - 4, top - 4]).inserted) }
            runs += 1
        }
        // Nothing in the path but the runs counted above.
        #expect(data.replacing(/M\d+ \d+h\d+v1h-\d+z/, with: "").isEmpty)
        var dark = Set<[Int]>()
        for y in 0..<code.size {
            for x in 0..<code.size where code.isDark(x: x, y: y) { dark.insert([x, y]) }
        }
        #expect(drawn == dark)
        #expect(runs < dark.count)
    }

    @Test func theQuietZoneWidensTheViewBoxAndShiftsTheModules() throws {
        let code = try QRCode(text: "HELLO WORLD")
        let bare = code.svg(moduleSize: 1, quietZone: 0)
        #expect(bare.contains("viewBox=\"0 0 21 21\""))
        #expect(bare.contains("d=\"M0 0h7v1h-7z"))
        #expect(code.svg().contains("viewBox=\"0 0 29 29\" width=\"116\" height=\"116\""))
        #expect(code.svg().contains("d=\"M4 4h7v1h-7z"))
    }

    @Test func theDataURIHoldsTheSVGInBase64() throws {
        let code = try QRCode(text: "HELLO WORLD")
        let uri = code.svgDataURI()
        let prefix = "data:image/svg+xml;base64,"
        #expect(uri.hasPrefix(prefix))
        let decoded = try #require(Data(base64Encoded: String(uri.dropFirst(prefix.count))))
        #expect(String(decoding: decoded, as: UTF8.self) == code.svg())
    }
}
