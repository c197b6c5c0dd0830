import Foundation
import PortalCore
import Testing

@Suite("Dossier state machine")
struct DossierStateMachineTests {
    let t0 = Date(timeIntervalSince1970: 1_777_000_000)

    func event(_ status: DossierStatus, _ minute: Int, _ actor: DossierActorKind, note: String? = "lý do")
        -> DossierEvent
    {
        DossierEvent(status: status, at: t0.addingTimeInterval(TimeInterval(minute * 60)), actor: actor, note: note)
    }

    /// Legal histories that end in each status; status 5 twice: before and after reception.
    var historiesEndingIn: [(DossierStatus, [DossierEvent])] {
        let submitted = [event(.submitted, 0, .applicant)]
        let received = submitted + [event(.received, 1, .officer)]
        let processing = received + [event(.processing, 2, .officer)]
        return [
            (.submitted, submitted),
            (.received, received),
            (.refused, submitted + [event(.refused, 1, .officer)]),
            (.processing, processing),
            (.supplementRequested, submitted + [event(.supplementRequested, 1, .officer)]),
            (.supplementRequested, processing + [event(.supplementRequested, 3, .officer)]),
            (.paymentRequested, processing + [event(.paymentRequested, 3, .officer)]),
            (.withdrawn, submitted + [event(.withdrawn, 1, .applicant)]),
            (.stopped, processing + [event(.stopped, 3, .officer)]),
            (.processed, processing + [event(.processed, 3, .officer)]),
            (.resultReturned, processing + [event(.processed, 3, .officer), event(.resultReturned, 4, .officer)]),
        ]
    }

    @Test func statusCodesNamesAndTerminalFlagsMatchTheNationalTable() {
        let expected: [(Int, String, Bool)] = [
            (1, "Mới đăng ký", false), (2, "Được tiếp nhận", false), (3, "Không được tiếp nhận", true),
            (4, "Đang xử lý", false), (5, "Yêu cầu bổ sung giấy tờ", false),
            (6, "Yêu cầu thực hiện nghĩa vụ tài chính", false), (7, "Công dân yêu cầu rút hồ sơ", true),
            (8, "Dừng xử lý", true), (9, "Đã xử lý xong", false), (10, "Đã trả kết quả", true),
        ]
        #expect(DossierStatus.allCases.count == 10)
        for (code, name, terminal) in expected {
            let status = DossierStatus(rawValue: code)
            #expect(status?.nameVi == name)
            #expect(status?.isTerminal == terminal)
            #expect(status?.nameEn.isEmpty == false)
        }
    }

    @Test func everyPairOfStatusesIsAllowedExactlyWhenTheTableSaysSo() throws {
        var checked = 0
        for (from, history) in historiesEndingIn {
            #expect(try DossierStateMachine.currentStatus(of: history) == from)
            for to in DossierStatus.allCases {
                for actor in [DossierActorKind.applicant, .officer, .system] {
                    let next = event(to, 10, actor)
                    let rule = DossierStateMachine.rule(from: from, to: to)
                    let allowed = try? DossierStateMachine.validate(next, after: history)
                    if from.isTerminal {
                        #expect(throws: DossierTransitionError.alreadyTerminal(from)) {
                            try DossierStateMachine.validate(next, after: history)
                        }
                    } else if from == to {
                        #expect(throws: DossierTransitionError.noChange(from)) {
                            try DossierStateMachine.validate(next, after: history)
                        }
                    } else if rule == nil {
                        #expect(throws: DossierTransitionError.illegalTransition(from: from, to: to)) {
                            try DossierStateMachine.validate(next, after: history)
                        }
                    } else if rule?.actors.contains(actor) == false {
                        #expect(throws: DossierTransitionError.actorNotAllowed(from: from, to: to, actor: actor)) {
                            try DossierStateMachine.validate(next, after: history)
                        }
                    } else if from == .supplementRequested && to == .supplementRequested {
                        Issue.record("unreachable")
                    } else if from == .supplementRequested {
                        let received = history.contains { $0.status == .processing }
                        let phaseOK: Bool =
                            switch to {
                            case .submitted, .refused: !received
                            case .processing, .stopped: received
                            default: true
                            }
                        #expect((allowed != nil) == phaseOK, "\(from) → \(to) by \(actor), received: \(received)")
                    } else if to == .supplementRequested
                        && history.contains(where: { $0.status == .supplementRequested })
                    {
                        #expect(allowed == nil)
                    } else {
                        #expect(allowed != nil, "\(from) → \(to) by \(actor)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 11 * 10 * 3)
    }

    @Test func firstEventsAreASubmissionOrADeskReception() {
        for to in DossierStatus.allCases {
            for actor in [DossierActorKind.applicant, .officer, .system] {
                let allowed = (try? DossierStateMachine.validate(event(to, 0, actor), after: [])) != nil
                let expected = (to == .submitted && actor != .officer) || (to == .received && actor == .officer)
                #expect(allowed == expected, "first \(to) by \(actor)")
            }
        }
    }

    @Test func anAgencySystemMayStartAnywhereAndJumpForwardButNeverBack() throws {
        for (from, history) in historiesEndingIn {
            let afterReception = try DossierHistory(events: history).receivedAt != nil
            let reachable = DossierStateMachine.reachable(from: from, afterReception: afterReception)
            for to in DossierStatus.allCases {
                let sync = DossierEvent(
                    status: to, at: t0.addingTimeInterval(3_600), actor: .agencySystem, note: nil,
                    source: .agencySync)
                let allowed = (try? DossierStateMachine.validate(sync, after: history)) != nil
                #expect(allowed == (!from.isTerminal && from != to && reachable.contains(to)), "\(from) → \(to)")
            }
        }
        for status in DossierStatus.allCases {
            let first = DossierEvent(status: status, at: t0, actor: .agencySystem, source: .agencySync)
            #expect(try DossierHistory(events: [first]).currentStatus == status)
        }
        // Seen first at status 4, then finished and returned: the skipped steps happened in the agency's system.
        let history = try DossierHistory(events: [
            DossierEvent(status: .processing, at: t0, actor: .agencySystem, source: .agencySync),
            DossierEvent(
                status: .resultReturned, at: t0.addingTimeInterval(60), actor: .agencySystem, source: .agencySync),
        ])
        #expect(history.currentStatus == .resultReturned)
        #expect(DossierStateMachine.reachable(from: .processed, afterReception: true) == [.resultReturned])
        let fromProcessing = DossierStateMachine.reachable(from: .processing, afterReception: true)
        #expect(fromProcessing.isDisjoint(with: [.submitted, .received, .refused]))
        #expect(fromProcessing.isSuperset(of: [.supplementRequested, .paymentRequested, .processed, .resultReturned]))
        let beforeReception = DossierStateMachine.reachable(from: .supplementRequested, afterReception: false)
        #expect(beforeReception.isSuperset(of: [.submitted, .received, .refused, .resultReturned]))
    }

    @Test(arguments: [DossierStatus.refused, .supplementRequested, .stopped])
    func refusalsSupplementRequestsAndStopsRequireAReason(_ status: DossierStatus) throws {
        let processing = [
            event(.submitted, 0, .applicant), event(.received, 1, .officer), event(.processing, 2, .officer),
        ]
        let history = status == .refused ? [event(.submitted, 0, .applicant)] : processing
        for note in [nil, "", "   "] {
            #expect(throws: DossierTransitionError.reasonRequired(status)) {
                try DossierStateMachine.validate(event(status, 5, .officer, note: note), after: history)
            }
        }
        try DossierStateMachine.validate(event(status, 5, .officer, note: "Thiếu tờ khai"), after: history)
    }

    @Test func aSupplementMayBeRequestedOnceAtReceptionAndOnceDuringProcessing() throws {
        var history = try DossierHistory(events: [event(.submitted, 0, .applicant)])
        history = try history.appending(event(.supplementRequested, 1, .officer))
        history = try history.appending(event(.submitted, 2, .applicant))
        #expect(throws: DossierTransitionError.supplementAlreadyRequested) {
            try history.appending(event(.supplementRequested, 3, .officer))
        }
        history = try history.appending(event(.received, 3, .officer))
        history = try history.appending(event(.supplementRequested, 4, .officer))
        history = try history.appending(event(.processing, 5, .applicant))
        #expect(throws: DossierTransitionError.supplementAlreadyRequested) {
            try history.appending(event(.supplementRequested, 6, .officer))
        }
        #expect(history.hadSupplementRequest)
        #expect(history.receivedAt == t0.addingTimeInterval(180))
    }

    @Test func theCurrentStatusIsDerivedFromTheEventsAndOutOfOrderEventsAreRejected() throws {
        let events = [
            event(.submitted, 0, .applicant), event(.received, 1, .officer), event(.processing, 2, .system),
            event(.paymentRequested, 3, .officer), event(.processing, 4, .system), event(.processed, 5, .officer),
            event(.resultReturned, 6, .system),
        ]
        let history = try DossierHistory(events: events)
        #expect(history.currentStatus == .resultReturned)
        #expect(history.status(at: t0.addingTimeInterval(3.5 * 60)) == .paymentRequested)
        #expect(history.finishedAt == t0.addingTimeInterval(300))
        #expect(throws: DossierTransitionError.outOfOrder(previous: t0.addingTimeInterval(60), event: t0)) {
            try DossierHistory(events: [event(.submitted, 0, .applicant), event(.received, 1, .officer)])
                .appending(event(.processing, 0, .officer))
        }
        let json = try JSONEncoder().encode(history)
        #expect(try JSONDecoder().decode(DossierHistory.self, from: json) == history)
    }

    @Test func everyTransitionIsDocumented() {
        for rule in DossierStateMachine.transitions {
            #expect(!rule.reason.isEmpty && !rule.actors.isEmpty)
            #expect(rule.from?.isTerminal != true)
        }
        #expect(
            Set(DossierStateMachine.transitions.map { "\(String(describing: $0.from))-\($0.to)" }).count
                == DossierStateMachine.transitions.count)
    }
}
