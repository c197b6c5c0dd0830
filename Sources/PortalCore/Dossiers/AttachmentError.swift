/// Why an attached file was refused, worded so that the citizen knows what to change.
public enum AttachmentError: BilingualError, Equatable {
    /// The file name is empty (or only spaces).
    case emptyName
    /// The file name is longer than `AttachmentName.maximumUTF8Length` bytes of UTF-8.
    case nameTooLong
    /// The file name contains a path separator, a control or invisible formatting character, or starts with a dot.
    case unsafeName
    /// The file name's extension (lower case, without the dot; empty if there is none) is not accepted.
    case extensionNotAllowed(String)
    /// The file has no content.
    case emptyFile
    /// The file is larger than `limit` bytes.
    case tooLarge(limit: Int)
    /// The dossier's files together are larger than `limit` bytes.
    case dossierTooLarge(limit: Int)
    /// The content is none of the accepted kinds.
    case unrecognisedContent
    /// The content is of one accepted kind but the name's extension belongs to another.
    case contentDoesNotMatchExtension(detected: AttachmentKind, fileExtension: String)
    /// The file could not be written or moved on the server; `errno` is for the log, never for the person.
    case storageFailed(errno: Int32)

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .emptyName: "Tệp chưa có tên. Vui lòng đặt tên cho tệp rồi tải lên lại."
        case .nameTooLong:
            "Tên tệp quá dài. Vui lòng đặt tên ngắn hơn (tối đa \(AttachmentName.maximumUTF8Length) byte)."
        case .unsafeName:
            "Tên tệp không hợp lệ: không được bắt đầu bằng dấu chấm hay chứa các ký tự / \\ hoặc ký tự điều khiển."
        case .extensionNotAllowed(let fileExtension) where fileExtension.isEmpty:
            "Tên tệp cần có phần mở rộng. Chỉ chấp nhận tệp \(Self.allowedList)."
        case .extensionNotAllowed(let fileExtension):
            "Không chấp nhận tệp .\(fileExtension). Chỉ chấp nhận tệp \(Self.allowedList)."
        case .emptyFile: "Tệp trống, không có nội dung. Vui lòng chọn lại tệp."
        case .tooLarge(let limit): "Tệp quá lớn: tối đa \(Self.size(limit, english: false))."
        case .dossierTooLarge(let limit):
            "Tổng dung lượng các tệp của hồ sơ quá lớn: tối đa \(Self.size(limit, english: false))."
        case .unrecognisedContent:
            "Không nhận dạng được nội dung tệp. Chỉ chấp nhận tệp PDF, JPEG, PNG, Word (DOCX) hoặc Excel (XLSX)."
        case .contentDoesNotMatchExtension(let detected, let fileExtension):
            "Nội dung tệp là \(detected.displayName) nhưng tên tệp có phần mở rộng .\(fileExtension). "
                + "Vui lòng kiểm tra lại tệp."
        case .storageFailed: "Hệ thống chưa lưu được tệp. Vui lòng thử lại sau ít phút."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .emptyName: "The file has no name. Please name the file and upload it again."
        case .nameTooLong:
            "The file name is too long. Please use a shorter name (at most \(AttachmentName.maximumUTF8Length) bytes)."
        case .unsafeName:
            "The file name is not valid: it must not start with a dot or contain / \\ or control characters."
        case .extensionNotAllowed(let fileExtension) where fileExtension.isEmpty:
            "The file name needs an extension. Only \(Self.allowedList) files are accepted."
        case .extensionNotAllowed(let fileExtension):
            ".\(fileExtension) files are not accepted. Only \(Self.allowedList) files are accepted."
        case .emptyFile: "The file is empty. Please choose the file again."
        case .tooLarge(let limit): "The file is too large: at most \(Self.size(limit, english: true))."
        case .dossierTooLarge(let limit):
            "The dossier's files are too large in total: at most \(Self.size(limit, english: true))."
        case .unrecognisedContent:
            "The file's content was not recognised. "
                + "Only PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX) files are accepted."
        case .contentDoesNotMatchExtension(let detected, let fileExtension):
            "The file's content is \(detected.displayName) but its name ends in .\(fileExtension). "
                + "Please check the file."
        case .storageFailed: "The file could not be saved. Please try again in a few minutes."
        }
    }

    /// `.pdf, .jpg, .jpeg, .png, .docx, .xlsx`.
    static var allowedList: String { AttachmentKind.allExtensions.map { "." + $0 }.joined(separator: ", ") }

    /// A byte count for people, in binary units as file managers show them: `10 MB`, `1,5 MB` (`1.5 MB`), `900 byte`.
    static func size(_ bytes: Int, english: Bool) -> String {
        let units: [(size: Int, name: String)] = [(1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")]
        for unit in units where bytes >= unit.size {
            // Tenths, rounded down so that the limit shown is never more than the limit enforced.
            let tenths = bytes * 10 / unit.size
            let fraction = tenths % 10 == 0 ? "" : (english ? "." : ",") + "\(tenths % 10)"
            return "\(tenths / 10)\(fraction) \(unit.name)"
        }
        return "\(bytes) " + (english ? "bytes" : "byte")
    }
}
