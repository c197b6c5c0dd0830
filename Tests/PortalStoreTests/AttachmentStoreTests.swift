import Crypto
import Foundation
import PortalCore
import PortalStore
import Testing

@Suite struct AttachmentStoreTests {
    /// A PDF header followed by enough pseudo-random bytes to need several chunks.
    static let pdf: [UInt8] = {
        var random = SystemRandomNumberGenerator()
        return Array("%PDF-1.7\n".utf8) + (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }
    }()

    @Test func aFileAppendedInChunksIsStoredUnderItsSHA256() throws {
        try withStore { store in
            let upload = try store.begin()
            try upload.append(Self.pdf[0..<5])
            try upload.append(Data(Self.pdf[5..<40_000]))
            // A collection without contiguous storage takes the copying path.
            try upload.append(Self.pdf[40_000..<40_100].lazy.map { $0 })
            try upload.append(Self.pdf[40_100...])
            #expect(upload.size == Self.pdf.count)
            let stored = try upload.finish(name: AttachmentName(validating: "Giấy khai sinh.pdf"))

            let expectedHex = SHA256.hash(data: Self.pdf).map { String(format: "%02x", $0) }.joined()
            #expect(stored == StoredAttachment(sha256: expectedHex, size: Self.pdf.count, kind: .pdf))
            let path = try #require(store.path(forSHA256: expectedHex))
            let prefix = expectedHex.prefix(4)
            #expect(path == "\(store.root)/sha256/\(prefix.prefix(2))/\(prefix.suffix(2))/\(expectedHex)")
            #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == Self.pdf)
            #expect(try files(in: store) == ["sha256/\(prefix.prefix(2))/\(prefix.suffix(2))/\(expectedHex)"])
            // Citizens' documents: readable by the portal's user only.
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
        }
    }

    @Test func theSameContentUploadedTwiceIsKeptOnce() throws {
        try withStore { store in
            let first = try store.begin()
            try first.append(Self.pdf)
            let stored = try first.finish(name: AttachmentName(validating: "a.pdf"))
            let second = try store.begin()
            try second.append(Self.pdf[..<50_000])
            try second.append(Self.pdf[50_000...])
            #expect(try second.finish(name: AttachmentName(validating: "bản sao.PDF")) == stored)
            #expect(try files(in: store).count == 1)
        }
    }

    @Test func anOfficeDocumentIsRecognisedFromItsEntries() throws {
        try withStore { store in
            let upload = try store.begin()
            let document = officeDocument(partName: "word/document.xml")
            try upload.append(document)
            let stored = try upload.finish(name: AttachmentName(validating: "Tờ khai.docx"))
            #expect(stored.kind == .docx)
            #expect(stored.size == document.count)
        }
    }

    @Test func aFileOfExactlyTheLimitIsAcceptedAndOneByteMoreIsRefusedLeavingNothing() throws {
        try withStore(maximumFileSize: 1_000) { store in
            let exact = try store.begin()
            try exact.append(Self.pdf[..<600])
            try exact.append(Self.pdf[600..<1_000])
            #expect(try exact.finish(name: AttachmentName(validating: "a.pdf")).size == 1_000)
            let stored = try files(in: store)

            let tooLarge = try store.begin()
            try tooLarge.append(Self.pdf[..<600])
            #expect(throws: AttachmentError.tooLarge(limit: 1_000)) { try tooLarge.append(Self.pdf[600..<1_001]) }
            #expect(try files(in: store) == stored)
            // The upload is over: nothing more is written.
            #expect(throws: AttachmentError.self) { try tooLarge.append([0x20]) }
            #expect(try files(in: store) == stored)
        }
    }

    @Test func aTooLargeFileLeavesNothingBehind() throws {
        try withStore(maximumFileSize: 1_000) { store in
            let upload = try store.begin()
            #expect(throws: AttachmentError.tooLarge(limit: 1_000)) { try upload.append(Self.pdf) }
            #expect(try files(in: store).isEmpty)
        }
    }

    @Test func anEmptyFileIsRefusedAndLeavesNothing() throws {
        try withStore { store in
            let upload = try store.begin()
            try upload.append([UInt8]())
            #expect(throws: AttachmentError.emptyFile) { try upload.finish(name: AttachmentName(validating: "a.pdf")) }
            #expect(try files(in: store).isEmpty)
        }
    }

    @Test func contentThatDoesNotMatchItsNameIsRefusedAndLeavesNothing() throws {
        try withStore { store in
            let renamed = try store.begin()
            try renamed.append(Self.pdf)
            #expect(throws: AttachmentError.contentDoesNotMatchExtension(detected: .pdf, fileExtension: "png")) {
                try renamed.finish(name: AttachmentName(validating: "scan.png"))
            }
            let program = try store.begin()
            try program.append([0x4D, 0x5A, 0x90, 0x00] + Array(repeating: 0, count: 60))
            #expect(throws: AttachmentError.unrecognisedContent) {
                try program.finish(name: AttachmentName(validating: "setup.pdf"))
            }
            #expect(try files(in: store).isEmpty)
        }
    }

    @Test func cancellingOrAbandoningAnUploadLeavesNothing() throws {
        try withStore { store in
            let cancelled = try store.begin()
            try cancelled.append(Self.pdf)
            cancelled.cancel()
            cancelled.cancel()
            #expect(throws: AttachmentError.self) { try cancelled.finish(name: AttachmentName(validating: "a.pdf")) }

            do {
                let abandoned = try store.begin()
                try abandoned.append(Self.pdf)
                let count = try files(in: store).count
                withExtendedLifetime(abandoned) {}
                #expect(count == 1)
            }
            #expect(try files(in: store).isEmpty)
        }
    }

    @Test func pathsAreBuiltOnlyFromWellFormedHashes() throws {
        try withStore { store in
            let valid = String(repeating: "0123456789abcdef", count: 4)
            #expect(store.path(forSHA256: valid) == "\(store.root)/sha256/01/23/\(valid)")
            let refused = [
                "", "../x", "abc", String(valid.dropLast()), valid + "0", valid.uppercased(),
                "../../../../etc/passwd" + String(repeating: "0", count: 42), "01/" + String(valid.dropFirst(3)),
                String(valid.dropLast()) + "g", String(valid.dropLast()) + "\u{0}",
            ]
            for hex in refused {
                #expect(store.path(forSHA256: hex) == nil, "\(hex)")
                let removed = try store.remove(sha256: hex)
                #expect(removed == false)
            }
        }
    }

    @Test func removingABlobDeletesItOnce() throws {
        try withStore { store in
            let upload = try store.begin()
            try upload.append(Self.pdf)
            let stored = try upload.finish(name: AttachmentName(validating: "a.pdf"))
            #expect(try store.remove(sha256: stored.sha256))
            #expect(try files(in: store).isEmpty)
            #expect(try store.remove(sha256: stored.sha256) == false)
        }
    }

    /// Runs `body` with a store under a fresh temporary directory whose parents do not exist yet, then deletes it.
    private func withStore(maximumFileSize: Int = 1 << 20, _ body: (AttachmentStore) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attach-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(AttachmentStore(root: directory.path + "/data/attachments", maximumFileSize: maximumFileSize))
    }

    /// The regular files under the store's root, relative to it and sorted, temporary files included.
    private func files(in store: AttachmentStore) throws -> [String] {
        let root = URL(fileURLWithPath: store.root)
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var files: [String] = []
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.path + "/" + path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// A small ZIP with one stored entry under `partName`, shaped like the start of an Office file.
    private func officeDocument(partName: String) -> [UInt8] {
        let name = Array(partName.utf8)
        let data = Array("<w:document/>".utf8)
        var entry: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0, 0, 0, 0, 0]
        entry += [UInt8(data.count), 0, 0, 0, UInt8(data.count), 0, 0, 0, UInt8(name.count), 0, 0, 0]
        return entry + name + data + [0x50, 0x4B, 0x05, 0x06] + Array(repeating: 0, count: 18)
    }
}
