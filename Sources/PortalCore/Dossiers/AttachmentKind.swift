/// The kinds of file a citizen may attach to a dossier, recognised from their content rather than their name.
///
/// A name's extension is only a claim; `sniff(_:)` reads the first bytes so that a program renamed `.pdf` is refused
/// and a scan saved with the wrong extension is caught before a civil servant tries to open it.
public enum AttachmentKind: String, Sendable, CaseIterable {
    case pdf, jpeg, png, docx, xlsx

    /// How many leading bytes `sniff(_:)` looks at; callers keep this many bytes of an upload.
    public static let sniffLength = 8 * 1024

    /// The media type to send when serving the file.
    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    /// The lower-case file-name extensions (without the dot) that a file of this kind may carry, usual one first.
    public var allowedExtensions: [String] {
        switch self {
        case .pdf: ["pdf"]
        case .jpeg: ["jpg", "jpeg"]
        case .png: ["png"]
        case .docx: ["docx"]
        case .xlsx: ["xlsx"]
        }
    }

    /// A short name for messages, the same in Vietnamese and English.
    public var displayName: String {
        switch self {
        case .pdf: "PDF"
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .docx: "Word (DOCX)"
        case .xlsx: "Excel (XLSX)"
        }
    }

    /// Every extension accepted for some kind, in `allCases` order (for messages and an `accept` attribute).
    public static var allExtensions: [String] { allCases.flatMap(\.allowedExtensions) }

    /// The kind whose `allowedExtensions` contain a lower-case extension, or `nil`.
    public init?(fileExtension: String) {
        guard let kind = Self.allCases.first(where: { $0.allowedExtensions.contains(fileExtension) }) else {
            return nil
        }
        self = kind
    }

    /// The kind of a file from its first bytes (up to `sniffLength` of them), or `nil` when it is none of ours.
    ///
    /// PDF, JPEG and PNG have fixed signatures at offset 0. DOCX and XLSX are both ZIP archives, told apart by the
    /// names of the entries: a Word document's parts live under `word/`, a workbook's under `xl/`. Only the ZIP's
    /// local file headers that fall inside `prefix` are read, so a prefix that ends before the first `word/` or `xl/`
    /// entry, an archive with both or with `ppt/`, and any other ZIP give `nil`.
    public static func sniff(_ prefix: [UInt8]) -> AttachmentKind? {
        let prefix = prefix.prefix(sniffLength)
        if prefix.starts(with: Signature.pdf) { return .pdf }
        if prefix.starts(with: Signature.jpeg) { return .jpeg }
        if prefix.starts(with: Signature.png) { return .png }
        if prefix.starts(with: Signature.zipLocalFile) { return officeKind(entryNames: zipEntryNames(prefix)) }
        return nil
    }

    /// The kind of a file from its first bytes, checked against the extension of the name it was sent with.
    ///
    /// Both must agree: a PDF called `scan.png` is refused rather than served later as an image.
    public static func recognise(_ prefix: [UInt8], named name: AttachmentName) throws(AttachmentError)
        -> AttachmentKind
    {
        guard !prefix.isEmpty else { throw .emptyFile }
        guard let kind = sniff(prefix) else { throw .unrecognisedContent }
        guard kind.allowedExtensions.contains(name.fileExtension) else {
            throw .contentDoesNotMatchExtension(detected: kind, fileExtension: name.fileExtension)
        }
        return kind
    }

    /// The leading bytes of each recognised format.
    enum Signature {
        /// `%PDF-`; the version follows. Acrobat tolerates junk before it, but a conforming writer puts it first.
        static let pdf: [UInt8] = Array("%PDF-".utf8)
        /// Start-of-image marker followed by the first marker's `FF`.
        static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF]
        /// The PNG signature, chosen by its authors to break under text-mode transfers.
        static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        /// `PK\x03\x04`, the signature of a ZIP local file header.
        static let zipLocalFile: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    }

    /// DOCX if the names include a `word/` part, XLSX if an `xl/` part; `nil` if neither, or if they are mixed.
    ///
    /// Office Open XML part names compare without regard to ASCII case. `[Content_Types].xml` is in every such
    /// package but is no help here: it is deflated, says nothing until inflated, and openpyxl and Google Docs write
    /// it last, beyond the prefix.
    static func officeKind(entryNames: [[UInt8]]) -> AttachmentKind? {
        var kinds = Set<AttachmentKind>()
        for name in entryNames {
            if hasASCIICaseInsensitivePrefix(name, "ppt/") { return nil }
            if hasASCIICaseInsensitivePrefix(name, "word/") { kinds.insert(.docx) }
            if hasASCIICaseInsensitivePrefix(name, "xl/") { kinds.insert(.xlsx) }
        }
        return kinds.count == 1 ? kinds.first : nil
    }

    /// The entry names of the ZIP local file headers found in `prefix`.
    ///
    /// Walks header to header while the compressed sizes are known. A writer that streams sets general-purpose bit 3
    /// and may leave the sizes zero (they follow the data, in a data descriptor), and ZIP64 puts `FFFFFFFF` there;
    /// from such an entry on, the rest of the prefix is searched for header signatures instead. A stray signature
    /// inside compressed data can at worst add a name: the result is a guess about content, not a parse.
    static func zipEntryNames(_ prefix: ArraySlice<UInt8>) -> [[UInt8]] {
        let bytes = Array(prefix)
        var names: [[UInt8]] = []
        var offset = 0
        while let header = ZipLocalHeader(bytes, at: offset) {
            guard let name = header.name(in: bytes) else { return names }
            names.append(name)
            guard let dataEnd = header.dataEnd else {
                return names + searchedEntryNames(bytes, from: header.nameEnd)
            }
            offset = dataEnd
        }
        return names
    }

    /// The names of the complete local file headers found by searching `bytes` from `start` for the signature.
    static func searchedEntryNames(_ bytes: [UInt8], from start: Int) -> [[UInt8]] {
        var names: [[UInt8]] = []
        var offset = start
        while offset + Signature.zipLocalFile.count <= bytes.count {
            if bytes[offset..<offset + Signature.zipLocalFile.count].elementsEqual(Signature.zipLocalFile),
                let header = ZipLocalHeader(bytes, at: offset), let name = header.name(in: bytes)
            {
                names.append(name)
                offset = header.nameEnd
            } else {
                offset += 1
            }
        }
        return names
    }

    /// Whether `bytes` starts with the lower-case ASCII `prefix`, ignoring the case of ASCII letters in `bytes`.
    static func hasASCIICaseInsensitivePrefix(_ bytes: [UInt8], _ prefix: String) -> Bool {
        let expected = Array(prefix.utf8)
        guard bytes.count >= expected.count else { return false }
        return zip(bytes, expected).allSatisfy { byte, lower in
            (0x41...0x5A).contains(byte) ? byte | 0x20 == lower : byte == lower
        }
    }
}

extension AttachmentKind {
    /// The fixed 30-byte part of a ZIP local file header (APPNOTE 4.3.7) at some offset of a byte prefix.
    struct ZipLocalHeader {
        /// Where the header starts.
        let offset: Int
        /// General-purpose bit flag.
        let flags: UInt16
        /// Compressed size of the data; `0` or `FFFFFFFF` may mean "not known here".
        let compressedSize: UInt32
        /// Length of the entry name that follows the fixed part.
        let nameLength: Int
        /// Length of the extra field that follows the name.
        let extraLength: Int

        /// Reads the fixed part at `offset`, or `nil` if there is no header signature there or the part is cut off.
        init?(_ bytes: [UInt8], at offset: Int) {
            guard offset >= 0, offset + 30 <= bytes.count,
                bytes[offset..<offset + 4].elementsEqual(Signature.zipLocalFile)
            else { return nil }
            func uint16(_ at: Int) -> UInt16 { UInt16(bytes[offset + at]) | UInt16(bytes[offset + at + 1]) << 8 }
            self.offset = offset
            flags = uint16(6)
            compressedSize = UInt32(uint16(18)) | UInt32(uint16(20)) << 16
            nameLength = Int(uint16(26))
            extraLength = Int(uint16(28))
        }

        /// Where the name ends and the extra field starts.
        var nameEnd: Int { offset + 30 + nameLength }

        /// The entry name, or `nil` if it is empty or runs past the end of `bytes`.
        func name(in bytes: [UInt8]) -> [UInt8]? {
            guard nameLength > 0, nameEnd <= bytes.count else { return nil }
            return Array(bytes[(offset + 30)..<nameEnd])
        }

        /// Where the entry's data ends and the next header starts, or `nil` when this header cannot say: bit 3 is set
        /// (the sizes, usually zero here, follow the data), or the size is the ZIP64 marker.
        ///
        /// Even a non-zero size with bit 3 would land on the data descriptor rather than the next header, so such an
        /// entry is always left to the search.
        var dataEnd: Int? {
            let hasDataDescriptor = flags & 0x0008 != 0
            guard !hasDataDescriptor, compressedSize != 0xFFFF_FFFF else { return nil }
            return nameEnd + extraLength + Int(compressedSize)
        }
    }
}
