/// How certain a row of the holiday table is.
public enum HolidayStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Follows a published Government or ministry schedule for that year.
    case announced
    /// Derived from the law and the lunar calendar; that year's schedule was not yet published (tentative).
    case statutory
}
