import PortalCore
import Testing

@Suite struct AttachmentKindTests {
    @Test(arguments: AttachmentKind.allCases)
    func realFilesAreRecognisedFromTheirFirstBytes(kind: AttachmentKind) {
        let sample =
            switch kind {
            case .pdf: AttachmentSamples.pdf
            case .jpeg: AttachmentSamples.jpeg
            case .png: AttachmentSamples.png
            case .docx: OfficeFixtures.docxPrefix
            case .xlsx: OfficeFixtures.xlsxPrefix
            }
        #expect(AttachmentKind.sniff(sample) == kind)
    }

    /// Bytes with a label, so that a failing case is reported by its label rather than by every byte.
    struct Labelled: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let bytes: [UInt8]

        init(_ label: String, _ bytes: [UInt8]) {
            testDescription = label
            self.bytes = bytes
        }
    }

    @Test(arguments: [
        Labelled("empty", []),
        Labelled("a ZIP of other files", OfficeFixtures.otherZip),
        Labelled("GIF", Array("GIF89a\u{1}\u{0}\u{1}\u{0}".utf8)),
        Labelled("Windows program", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00]),
        Labelled("HTML", Array("<!DOCTYPE html><html>%PDF-1.4</html>".utf8)),
        Labelled("PDF signature cut short", Array("%PDF".utf8)),
        Labelled("JPEG signature cut short", [0xFF, 0xD8]),
        Labelled("PNG signature with a changed byte", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x00]),
        Labelled("PDF after a byte-order mark", [0xEF, 0xBB, 0xBF] + AttachmentSamples.pdf),
        Labelled("ZIP signature alone", [0x50, 0x4B, 0x03, 0x04]),
    ])
    func otherContentIsNotRecognised(sample: Labelled) {
        #expect(AttachmentKind.sniff(sample.bytes) == nil)
    }

    @Test func aDocumentPrefixThatEndsBeforeTheFirstWordPartIsNotRecognised() {
        // The first 600 bytes of a python-docx file hold only `[Content_Types].xml` and `_rels/.rels`, which every
        // Office file has: guessing DOCX there would also accept a presentation.
        #expect(AttachmentKind.sniff(Array(OfficeFixtures.docxPrefix.prefix(600))) == nil)
    }

    @Test func streamedArchivesWithDataDescriptorsAreRecognisedBySearchingForHeaders() {
        let contentTypes = AttachmentSamples.zipEntry(
            "[Content_Types].xml", data: Array(repeating: 0x3C, count: 300), streamed: true)
        let rels = AttachmentSamples.zipEntry("_rels/.rels", data: Array(repeating: 0x20, count: 120), streamed: true)
        let document = AttachmentSamples.zipEntry("word/document.xml", data: [0x3C, 0x77], streamed: true)
        let workbook = AttachmentSamples.zipEntry("xl/workbook.xml", data: [0x3C, 0x77], streamed: true)
        #expect(AttachmentKind.sniff(contentTypes + rels + document) == .docx)
        #expect(AttachmentKind.sniff(contentTypes + rels + workbook) == .xlsx)
        #expect(AttachmentKind.sniff(contentTypes + rels) == nil)
    }

    @Test func headersAreWalkedUsingTheirSizesSoNamesInsideDataDoNotCount() {
        // The data of the first entry contains a complete `xl/` header; walking by size skips over it.
        let hidden = AttachmentSamples.zipEntry("xl/workbook.xml", data: [])
        let archive =
            AttachmentSamples.zipEntry("[Content_Types].xml", data: hidden)
            + AttachmentSamples.zipEntry("word/document.xml", data: [0x3C])
        #expect(AttachmentKind.sniff(archive) == .docx)
    }

    @Test func mixedOrPresentationArchivesAreNotRecognised() {
        let document = AttachmentSamples.zipEntry("word/document.xml", data: [0x3C])
        let workbook = AttachmentSamples.zipEntry("xl/workbook.xml", data: [0x3C])
        let slide = AttachmentSamples.zipEntry("ppt/slides/slide1.xml", data: [0x3C])
        #expect(AttachmentKind.sniff(document + workbook) == nil)
        #expect(AttachmentKind.sniff(slide + document) == nil)
    }

    @Test func partNamesAreComparedWithoutRegardToCase() {
        #expect(AttachmentKind.sniff(AttachmentSamples.zipEntry("Word/Document.xml", data: [0x3C])) == .docx)
        #expect(AttachmentKind.sniff(AttachmentSamples.zipEntry("XL/workbook.xml", data: [0x3C])) == .xlsx)
    }

    @Test func onlyTheFirstEightKibibytesAreRead() {
        let padding = AttachmentSamples.zipEntry("docProps/thumbnail.jpeg", data: Array(repeating: 0, count: 8_200))
        let archive = padding + AttachmentSamples.zipEntry("word/document.xml", data: [0x3C])
        #expect(AttachmentKind.sniff(archive) == nil)
        let shortPadding = AttachmentSamples.zipEntry(
            "docProps/thumbnail.jpeg", data: Array(repeating: 0, count: 8_000))
        #expect(AttachmentKind.sniff(shortPadding + AttachmentSamples.zipEntry("word/a.xml", data: [])) == .docx)
    }

    @Test func sniffingArbitraryOrDamagedBytesNeverTrapsAndOnlyRecognisesSignatures() {
        var random = SplitMix64(seed: 0xA77A_C4)
        let starts: [[UInt8]] = [[], [0x50, 0x4B, 0x03, 0x04], OfficeFixtures.docxPrefix, OfficeFixtures.xlsxPrefix]
        for round in 0..<3_000 {
            var bytes = starts[round % starts.count]
            if bytes.isEmpty || round % 3 == 0 {
                bytes += (0..<Int.random(in: 0...400, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            }
            // Damage a few bytes, often in the header fields (flags, sizes, name and extra lengths).
            for _ in 0..<Int.random(in: 0...4, using: &random) where !bytes.isEmpty {
                let index =
                    round % 2 == 0
                    ? Int.random(in: 0..<min(30, bytes.count), using: &random)
                    : Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = UInt8.random(in: 0...255, using: &random)
            }
            switch AttachmentKind.sniff(bytes) {
            case .pdf?: #expect(bytes.starts(with: Array("%PDF-".utf8)))
            case .jpeg?: #expect(bytes.starts(with: [0xFF, 0xD8, 0xFF]))
            case .png?: #expect(bytes.starts(with: AttachmentSamples.png.prefix(8)))
            case .docx?, .xlsx?: #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            case nil: break
            }
        }
    }

    @Test func everyKindsExtensionsLeadBackToIt() {
        for kind in AttachmentKind.allCases {
            #expect(!kind.allowedExtensions.isEmpty)
            for fileExtension in kind.allowedExtensions {
                #expect(AttachmentKind(fileExtension: fileExtension) == kind)
            }
        }
        #expect(AttachmentKind.allExtensions == ["pdf", "jpg", "jpeg", "png", "docx", "xlsx"])
        #expect(AttachmentKind(fileExtension: "exe") == nil)
        #expect(AttachmentKind.xlsx.mediaType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    @Test func recognisingRequiresTheNameToFitTheContent() throws {
        let pdfName = try AttachmentName(validating: "Tờ khai.pdf")
        #expect(try AttachmentKind.recognise(AttachmentSamples.pdf, named: pdfName) == .pdf)
        let jpgName = try AttachmentName(validating: "Ảnh thẻ.JPG")
        #expect(try AttachmentKind.recognise(AttachmentSamples.jpeg, named: jpgName) == .jpeg)

        let renamed = try AttachmentName(validating: "scan.png")
        #expect(throws: AttachmentError.contentDoesNotMatchExtension(detected: .pdf, fileExtension: "png")) {
            try AttachmentKind.recognise(AttachmentSamples.pdf, named: renamed)
        }
        let workbookName = try AttachmentName(validating: "bang-ke.xlsx")
        #expect(throws: AttachmentError.contentDoesNotMatchExtension(detected: .docx, fileExtension: "xlsx")) {
            try AttachmentKind.recognise(OfficeFixtures.docxPrefix, named: workbookName)
        }
        #expect(throws: AttachmentError.unrecognisedContent) {
            try AttachmentKind.recognise(OfficeFixtures.otherZip, named: try AttachmentName(validating: "a.docx"))
        }
        #expect(throws: AttachmentError.emptyFile) { try AttachmentKind.recognise([], named: pdfName) }
    }
}
