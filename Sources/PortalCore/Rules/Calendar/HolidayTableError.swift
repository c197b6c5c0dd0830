/// Why a holiday table or its CSV text was rejected.
public enum HolidayTableError: BilingualError, Hashable {
    /// Two entries share a date.
    case duplicateDate(LocalDate)
    /// A make-up working day is not a Saturday or Sunday, so it would change nothing.
    case makeUpDayNotOnWeekend(LocalDate)
    /// The CSV header lacks a required column.
    case missingColumn(String)
    /// A CSV line has the wrong number of fields or an unterminated quote.
    case malformedLine(line: Int)
    /// A CSV line has a date that is not `YYYY-MM-DD`.
    case invalidDate(line: Int, value: String)
    /// A CSV line has an unknown kind.
    case invalidKind(line: Int, value: String)
    /// A CSV line has an unknown status.
    case invalidStatus(line: Int, value: String)

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .duplicateDate(let date): "Ngày \(date) xuất hiện nhiều lần trong bảng ngày nghỉ."
        case .makeUpDayNotOnWeekend(let date): "Ngày làm bù \(date) không phải thứ Bảy hoặc Chủ nhật."
        case .missingColumn(let name): "Thiếu cột \(name) trong dòng tiêu đề."
        case .malformedLine(let line): "Dòng \(line) sai định dạng CSV."
        case .invalidDate(let line, let value): "Dòng \(line): ngày \"\(value)\" không đúng dạng YYYY-MM-DD."
        case .invalidKind(let line, let value): "Dòng \(line): loại ngày \"\(value)\" không hợp lệ."
        case .invalidStatus(let line, let value): "Dòng \(line): trạng thái \"\(value)\" không hợp lệ."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .duplicateDate(let date): "Date \(date) appears more than once in the holiday table."
        case .makeUpDayNotOnWeekend(let date): "Make-up working day \(date) is not a Saturday or Sunday."
        case .missingColumn(let name): "The header has no \(name) column."
        case .malformedLine(let line): "Line \(line) is not valid CSV."
        case .invalidDate(let line, let value): "Line \(line): date \"\(value)\" is not YYYY-MM-DD."
        case .invalidKind(let line, let value): "Line \(line): unknown kind \"\(value)\"."
        case .invalidStatus(let line, let value): "Line \(line): unknown status \"\(value)\"."
        }
    }
}
