import Foundation
import PortalCore
import Testing

@Suite struct DossierTimesTests {
    static let monday = LocalDate(year: 2026, month: 3, day: 2)!

    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        VietnamTime.instant(on: monday.adding(days: day), hour: hour, minute: minute)
    }

    static func event(_ status: DossierStatus, _ at: Date) -> DossierEvent {
        DossierEvent(status: status, at: at, actor: .officer, note: "Lý do", source: .portal)
    }

    @Test func theWorkingTimeToAResultLeavesOutTheSupplementPause() {
        // Received Monday 09:00, supplement asked Monday 11:00, handed in Wednesday 09:00, result Wednesday 10:00:
        // 2 working hours before the pause and 1 after.
        let events = [
            Self.event(.received, Self.at(0, 9)), Self.event(.supplementRequested, Self.at(0, 11)),
            Self.event(.processing, Self.at(2, 9)), Self.event(.processed, Self.at(2, 10)),
        ]
        let time = DossierTimes.workingTimeToResult(
            events, receivedAt: Self.at(0, 9), finishedAt: Self.at(2, 10), calendar: .vietnam)
        #expect(time == TimeInterval(3 * 3600))
        #expect(DossierTimes.pausedSince(events) == nil)
    }

    @Test func withoutAPauseItIsTheWorkingTimeBetweenReceptionAndResult() {
        // Friday 16:00 to Monday 08:00: one hour on Friday, one on Monday.
        let friday = Self.at(4, 16)
        let nextMonday = Self.at(7, 8)
        let events = [Self.event(.received, friday), Self.event(.processed, nextMonday)]
        #expect(
            DossierTimes.workingTimeToResult(events, receivedAt: friday, finishedAt: nextMonday, calendar: .vietnam)
                == TimeInterval(2 * 3600))
        #expect(
            DossierTimes.workingTimeToResult(events, receivedAt: friday, finishedAt: nil, calendar: .vietnam) == nil)
    }

    @Test func aDossierWaitingForASupplementIsPausedSinceTheRequest() {
        let events = [Self.event(.received, Self.at(0, 9)), Self.event(.supplementRequested, Self.at(1, 14))]
        #expect(DossierTimes.pausedSince(events) == Self.at(1, 14))
        #expect(DossierTimes.pausedSince([]) == nil)
    }
}
