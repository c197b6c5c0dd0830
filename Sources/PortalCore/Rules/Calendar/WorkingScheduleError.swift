/// Why a weekly working schedule was rejected.
public enum WorkingScheduleError: BilingualError, Hashable {
    /// A period does not end after it starts.
    case emptyPeriod(start: TimeOfDay, end: TimeOfDay)
    /// Two periods of the same day overlap.
    case overlappingPeriods(Weekday)
    /// The schedule has no working time on any day, so no deadline could ever be reached.
    case noWorkingTime

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .emptyPeriod(let start, let end):
            "Khoảng giờ làm việc \(start)–\(end) không hợp lệ (giờ kết thúc phải sau giờ bắt đầu)."
        case .overlappingPeriods(let day):
            "Các khoảng giờ làm việc của ngày \(day.rawValue) (thứ tự ISO) chồng lên nhau."
        case .noWorkingTime: "Lịch làm việc không có giờ làm việc nào trong tuần."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .emptyPeriod(let start, let end):
            "Working period \(start)–\(end) is invalid (it must end after it starts)."
        case .overlappingPeriods(let day): "The working periods of \(day) overlap."
        case .noWorkingTime: "The schedule has no working time on any day of the week."
        }
    }
}
