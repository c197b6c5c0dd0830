import Foundation
import PortalCore
import Testing

@Suite struct AttachmentNameTests {
    @Test(arguments: [
        ("", AttachmentError.emptyName),
        ("   ", .emptyName),
        ("../a.pdf", .unsafeName),
        ("..", .unsafeName),
        ("a/b.pdf", .unsafeName),
        ("a\\b.pdf", .unsafeName),
        ("a\u{FF0F}b.pdf", .unsafeName),
        ("\u{2025}\u{FF0F}a.pdf", .unsafeName),
        ("\u{0007}x.pdf", .unsafeName),
        ("x\u{0}.pdf", .unsafeName),
        ("x\n.pdf", .unsafeName),
        ("x\u{7F}.pdf", .unsafeName),
        ("x\u{85}.pdf", .unsafeName),
        ("x\u{9B}.pdf", .unsafeName),
        ("hồ sơ\u{202E}fdp.exe", .unsafeName),
        ("a\u{200B}.pdf", .unsafeName),
        ("a\u{2028}.pdf", .unsafeName),
        (".pdf", .unsafeName),
        (".hidden.pdf", .unsafeName),
        ("a.exe", .extensionNotAllowed("exe")),
        ("a.pdf.exe", .extensionNotAllowed("exe")),
        ("a.PHP", .extensionNotAllowed("php")),
        ("README", .extensionNotAllowed("")),
        ("a.pdf.", .extensionNotAllowed("")),
        (String(repeating: "a", count: 197) + ".pdf", .nameTooLong),
        (String(repeating: "ệ", count: 66) + ".pdf", .nameTooLong),
    ])
    func unsafeOrUnacceptedNamesAreRefused(raw: String, expected: AttachmentError) {
        #expect(throws: expected) { try AttachmentName(validating: raw) }
    }

    @Test func aVietnameseNameIsKeptAndGetsBothContentDispositionForms() throws {
        let name = try AttachmentName(validating: "Giấy khai sinh.pdf")
        #expect(name.value == "Giấy khai sinh.pdf")
        #expect(name.fileExtension == "pdf")
        #expect(name.asciiFallback == "Giay khai sinh.pdf")
        #expect(
            name.contentDisposition
                == "attachment; filename=\"Giay khai sinh.pdf\"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf")
    }

    @Test func decomposedInputIsStoredInNFCAndSurroundingSpacesAreDropped() throws {
        // macOS sends "ấ" as a + combining circumflex + combining acute.
        let name = try AttachmentName(validating: "  Gia\u{302}\u{301}y khai sinh.pdf ")
        #expect(name.value == "Giấy khai sinh.pdf")
        #expect(name.value.unicodeScalars.count == "Giấy khai sinh.pdf".unicodeScalars.count)
        #expect(name == (try AttachmentName(validating: "Giấy khai sinh.pdf")))
    }

    @Test func extensionsAreAcceptedInAnyCaseAndReportedInLowerCase() throws {
        #expect(try AttachmentName(validating: "Ảnh CCCD.JPG").fileExtension == "jpg")
        #expect(try AttachmentName(validating: "Bảng kê.Xlsx").fileExtension == "xlsx")
        #expect(try AttachmentName(validating: "đơn..pdf").fileExtension == "pdf")
    }

    @Test func aNameOfExactlyTheLimitIsAccepted() throws {
        let name = String(repeating: "ệ", count: 65) + "a.pdf"
        #expect(name.utf8.count == AttachmentName.maximumUTF8Length)
        #expect(try AttachmentName(validating: name).value == name)
    }

    @Test func theASCIIFallbackReplacesQuotesPercentAndSemicolons() throws {
        let name = try AttachmentName(validating: "Đơn \"đề nghị\"; 100% Đắk Lắk.docx")
        #expect(name.asciiFallback == "Don _de nghi__ 100_ Dak Lak.docx")
        #expect(
            name.contentDisposition.hasSuffix(
                "filename*=UTF-8''%C4%90%C6%A1n%20%22%C4%91%E1%BB%81%20ngh%E1%BB%8B%22%3B%20100%25%20"
                    + "%C4%90%E1%BA%AFk%20L%E1%BA%AFk.docx"))
    }

    @Test func acceptedNamesAlwaysGiveASafeHeaderThatDecodesBackToTheName() {
        let alphabet = Array(
            "aAzZ09 -_.,()+[]!#$&'=@~^`|{}%;:*?\"<>/\\ấẾđĐưƯơễ漢字😀\u{7}\u{0}\u{7F}\u{85}\u{202E}\u{FF0F}\u{301}")
        let endings = ["", ".pdf", ".PDF", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".exe", "."]
        var random = SplitMix64(seed: 0x4E_414D45)
        var accepted = 0
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...40, using: &random)
            // SAFETY: the alphabet is a non-empty literal.
            let body = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            // SAFETY: the endings are a non-empty literal.
            let raw = body + endings.randomElement(using: &random)!
            let name: AttachmentName
            do {
                name = try AttachmentName(validating: raw)
            } catch {
                #expect([.emptyName, .nameTooLong, .unsafeName].contains(error) || isExtensionError(error), "\(raw)")
                continue
            }
            accepted += 1
            #expect(name.value == name.value.precomposedStringWithCanonicalMapping)
            #expect(name.value.utf8.count <= AttachmentName.maximumUTF8Length)
            #expect(!name.value.contains("/") && !name.value.contains("\\") && !name.value.hasPrefix("."))
            #expect(!name.value.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            #expect(AttachmentKind.allExtensions.contains(name.fileExtension))
            #expect(name.value.lowercased().hasSuffix("." + name.fileExtension))

            let header = name.contentDisposition
            #expect(header.utf8.allSatisfy { (0x20...0x7E).contains($0) }, "\(raw)")
            #expect(!name.asciiFallback.contains { "\"\\%;".contains($0) }, "\(raw)")
            #expect(name.asciiFallback.lowercased().hasSuffix("." + name.fileExtension))
            let prefix = "attachment; filename=\"\(name.asciiFallback)\"; filename*=UTF-8''"
            #expect(header.hasPrefix(prefix))
            #expect(header.dropFirst(prefix.count).removingPercentEncoding == name.value, "\(raw)")
        }
        // The property says little unless plenty of random names get through.
        #expect(accepted > 300)
    }

    private func isExtensionError(_ error: AttachmentError) -> Bool {
        if case .extensionNotAllowed = error { return true }
        return false
    }
}
