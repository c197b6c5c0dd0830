import Foundation

/// A file name given by a citizen with an upload, checked so that it is safe to show, to keep as text and to send back
/// in a `Content-Disposition` header.
///
/// It is only ever data: stored files are named by the hash of their content, never by this name. The checks still
/// refuse anything that looks like a path or hides characters, because staff read the name and save the file under it.
public struct AttachmentName: Sendable, Hashable {
    /// The longest accepted name in bytes of UTF-8: inside the 255-byte limit of common file systems, so that a
    /// downloaded copy can keep its name.
    public static let maximumUTF8Length = 200

    /// The name in Unicode NFC, without surrounding spaces.
    public let value: String
    /// The extension in lower case, without the dot: one of `AttachmentKind.allExtensions`.
    public let fileExtension: String

    /// Checks a name as the browser sent it.
    ///
    /// Letters with diacritics are kept; the name is put into NFC because macOS and some phones send NFD
    /// (`e` + combining marks), which would otherwise count, compare and display differently. The separator and
    /// leading-dot checks also look at the NFKC form, so fullwidth `／`, `＼` and leaders like `‥` that some software
    /// folds into `/`, `\` and `..` are refused as well.
    public init(validating raw: String) throws(AttachmentError) {
        let name = raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw .emptyName }
        guard name.utf8.count <= Self.maximumUTF8Length else { throw .nameTooLong }
        guard !name.unicodeScalars.contains(where: Self.isUnsafe) else { throw .unsafeName }
        let compatible = name.precomposedStringWithCompatibilityMapping
        guard !compatible.contains("/"), !compatible.contains("\\"), !compatible.hasPrefix(".") else {
            throw .unsafeName
        }
        let fileExtension = name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() } ?? ""
        guard AttachmentKind.allExtensions.contains(fileExtension) else { throw .extensionNotAllowed(fileExtension) }
        value = name
        self.fileExtension = fileExtension
    }

    /// A `Content-Disposition` value that makes browsers download the file under this name (RFC 6266).
    ///
    /// `filename*` (RFC 8187, formerly 5987) carries the exact name percent-encoded as UTF-8 and is preferred by every
    /// current browser; `filename` is the ASCII fallback for the rest, e.g.
    /// `attachment; filename="Giay khai sinh.pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf`.
    public var contentDisposition: String {
        "attachment; filename=\"\(asciiFallback)\"; filename*=UTF-8''\(percentEncoded)"
    }

    /// The name with diacritics removed (`đ` → `d`) and any other character outside a conservative ASCII set replaced
    /// by `_`.
    ///
    /// Quotes and backslashes would end or escape the quoted string, `%` is decoded by some browsers, and `;`, `:` or
    /// `*` trip naive header parsers or Windows, so only letters, digits, space and `-_.,()+[]` are kept.
    public var asciiFallback: String {
        var fallback = ""
        for scalar in value.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            switch scalar {
            case "đ": fallback.append("d")
            case "Đ": fallback.append("D")
            case "a"..."z", "A"..."Z", "0"..."9", " ", "-", "_", ".", ",", "(", ")", "+", "[", "]":
                fallback.unicodeScalars.append(scalar)
            default: fallback.append("_")
            }
        }
        return fallback
    }

    /// The UTF-8 bytes of the name with every byte that is not an RFC 8187 `attr-char` written as `%XX`.
    var percentEncoded: String {
        let attrChars = Set("!#$&+-.^_`|~".utf8)
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        var encoded = ""
        for byte in value.utf8 {
            let isAlphanumeric =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if isAlphanumeric || attrChars.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded.unicodeScalars.append(contentsOf: ["%", hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return encoded
    }

    /// Control characters (C0, DEL, C1), line and paragraph separators, and invisible formatting characters.
    ///
    /// Formatting characters include the bidirectional overrides: `hồ sơ` + U+202E + `fdp.exe` displays as
    /// `hồ sơexe.pdf`. Vietnamese text never needs them.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }
}
