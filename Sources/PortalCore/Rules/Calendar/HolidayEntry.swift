/// One day of the holiday table: a holiday, a compensatory day off or a make-up working day.
public struct HolidayEntry: Sendable, Hashable, Codable {
    /// The local date.
    public let date: LocalDate
    /// What the entry does to the day.
    public let kind: HolidayKind
    /// The Vietnamese name.
    public let nameVi: String
    /// The English name.
    public let nameEn: String
    /// Whether the entry is announced or only derived from the law (tentative).
    public let status: HolidayStatus

    /// Creates an entry.
    public init(date: LocalDate, kind: HolidayKind, nameVi: String, nameEn: String, status: HolidayStatus = .announced)
    {
        self.date = date
        self.kind = kind
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.status = status
    }
}
