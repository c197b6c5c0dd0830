import Foundation
import PortalAPI
import PortalCore
import Testing

/// `SyncWireBody(json:)` reads the sync body from its bytes; these tests hold it to what Foundation's `Decodable`
/// reading of the same body gives (the reader it replaced, kept here as the reference), on chosen and on random
/// bodies.
@Suite struct SyncWireTests {
    // MARK: The reference: the body read through Decodable

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct ReferenceBody: Decodable {
        let items: [ReferenceItem]
    }

    struct ReferenceItem: Decodable {
        let item: SyncWireItem

        init(from decoder: any Decoder) throws {
            guard let container = try? decoder.container(keyedBy: Key.self) else {
                item = .notAnObject
                return
            }
            var item = SyncWireItem()
            func value(_ container: KeyedDecodingContainer<Key>, _ name: String, integer: Bool) -> SyncWireValue {
                let key = Key(stringValue: name)
                guard container.contains(key) else { return .absent }
                if (try? container.decodeNil(forKey: key)) == true { return .null }
                if integer {
                    if let number = try? container.decode(Int.self, forKey: key) { return .integer(number) }
                } else if let text = try? container.decode(String.self, forKey: key) {
                    return .text(text)
                }
                return .other
            }
            item.dossierCode = value(container, "dossier_code", integer: false)
            item.procedureCode = value(container, "procedure_code", integer: false)
            item.agency = value(container, "agency", integer: false)
            item.receivedAt = value(container, "received_at", integer: false)
            item.dueAt = value(container, "due_at", integer: false)
            item.eventID = value(container, "event_id", integer: false)
            item.eventAt = value(container, "event_at", integer: false)
            item.note = value(container, "note", integer: false)
            item.channel = value(container, "channel", integer: true)
            item.status = value(container, "status", integer: true)
            if let nested = try? container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "applicant")) {
                item.applicant = SyncWireItem.Applicant(
                    type: value(nested, "type", integer: true), id: value(nested, "id", integer: false),
                    name: value(nested, "name", integer: false))
            }
            self.item = item
        }
    }

    /// The items as the reference reads them, or nil when it refuses the body.
    static func reference(_ json: String) -> [SyncWireItem]? {
        (try? JSONDecoder().decode(ReferenceBody.self, from: Data(json.utf8)))?.items.map(\.item)
    }

    static func fast(_ json: String) -> [SyncWireItem]? {
        try? SyncWireBody(json: Array(json.utf8)).items
    }

    // MARK: Chosen bodies

    static let chosen: [String] = [
        #"{"items":[]}"#,
        #"  {"items" : [ ] }  "#,
        #"{"items":[{"status":2,"note":"a"}]}"#,
        // Numbers as Foundation reads them into Int.
        #"{"items":[{"status":2.0,"channel":2e0}]}"#,
        #"{"items":[{"status":20E-1,"channel":-0}]}"#,
        #"{"items":[{"status":1.5,"channel":1e2}]}"#,
        #"{"items":[{"status":99999999999999999999,"channel":-2}]}"#,
        #"{"items":[{"status":-0.0,"channel":0.0}]}"#,
        #"{"items":[{"status":9223372036854775807,"channel":-9223372036854775808}]}"#,
        #"{"items":[{"status":9223372036854775808,"channel":1E400}]}"#,
        // Wrong types.
        #"{"items":[{"status":"2","note":2,"dossier_code":true,"agency":[],"event_id":{},"due_at":false}]}"#,
        #"{"items":[{"status":null,"note":null,"applicant":null}]}"#,
        #"{"items":[1,"x",null,true,[],{"a":1}]}"#,
        // Keys: repeated, escaped, unknown, nested.
        #"{"items":[{"note":"a","note":"b"}]}"#,
        #"{"items":[1],"items":[{"note":"x"}]}"#,
        #"{"items":[{"note\u0020":"a","not\u0065":"e"}]}"#,
        #"{"items":[{"dossier\u005fcode":"x","extra":{"note":"no","items":[1,2,{"deep":[[[]]]}]},"note":"yes"}]}"#,
        #"{"items":[{"applicant":{"id":"1"},"applicant":5}]}"#,
        #"{"items":[{"applicant":5,"applicant":{"id":"1"}}]}"#,
        #"{"items":[{"applicant":{"type":"1","id":1,"name":null,"name":"x","type":2}}]}"#,
        #"{"other":{"items":[]},"items":[{"note":"z"}],"more":[1,2.5,-3e-2,"s",null,true,false]}"#,
        // Strings: escapes, surrogates, control characters, Vietnamese.
        #"{"items":[{"note":"\ud800"}]}"#,
        #"{"items":[{"note":"\ud83d\ude00 \u00e9 \" \\ \/ \b\f\n\r\t"}]}"#,
        #"{"items":[{"note":"\udc00x"}]}"#,
        #"{"items":[{"note":"\ud83dx"}]}"#,
        #"{"items":[{"note":"a\u0000b"}]}"#,
        #"{"items":[{"note":"Bổ sung bản sao giấy tờ tùy thân","applicant":{"name":"Nguyễn Thị Minh Anh"}}]}"#,
        // Not the sync body.
        #"{"items":null}"#,
        #"{"items":{}}"#,
        #"{"items":"[]"}"#,
        #"{}"#,
        #"[]"#,
        #"[{"items":[]}]"#,
        #""items""#,
        #"null"#,
    ]

    @Test func chosenBodiesReadAsDecodableReadsThem() {
        for json in Self.chosen {
            #expect(Self.fast(json) == Self.reference(json), "\(json)")
        }
        // Spot checks that the reference itself reads what it should.
        #expect(Self.fast(#"{"items":[{"status":2.0}]}"#)?.first?.status == .integer(2))
        #expect(Self.fast(#"{"items":[{"note":"a","note":"b"}]}"#)?.first?.note == .text("a"))
        #expect(Self.fast(#"{"items":[{"note":"\ud800"}]}"#)?.first?.note == .other)
        #expect(Self.fast(#"{"items":[{"note":"\ud83d\ude00"}]}"#)?.first?.note == .text("😀"))
        #expect(Self.fast(#"{"items":[7]}"#)?.first?.isObject == false)
        #expect(Self.fast(#"{"items":null}"#) == nil)
    }

    @Test func malformedBodiesAreRefused() {
        let body = #"{"items":[{"dossier_code":"a\"b","status":2,"applicant":{"type":1},"x":[1,{"y":null}]}]}"#
        #expect(Self.fast(body) != nil)
        // Every proper prefix of a body is not JSON.
        for end in body.indices.dropLast() where Self.reference(String(body[..<end])) == nil {
            #expect(Self.fast(String(body[..<end])) == nil, "\(body[..<end])")
        }
        for json in [
            #"{"items":[]}x"#, #"{"items":[],}"#, #"{"items":[1,]}"#, #"{"items":[01]}"#, #"{"items":[1.]}"#,
            #"{"items":[-]}"#, #"{"items":[tru]}"#, #"{"items":["a\x"]}"#, #"{"items":["\u12"]}"#, #"{items:[]}"#,
            "{\"items\":[\"a\u{01}\"]}", String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
            #"{"items":[{"a":"#,
        ] {
            // Foundation's decoder lets some of these through (bytes after the document, some malformed numbers);
            // the reader keeps to RFC 8259, and the body is refused naming `items`.
            #expect(Self.fast(json) == nil, "\(json)")
        }
        // Nesting deeper than the reader follows is refused, not a crash.
        let deep =
            #"{"items":[{"x":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            + "}]}"
        #expect(Self.fast(deep) == nil)
    }

    // MARK: Random bodies

    /// Items of every kind of value in every field, keys repeated, escaped and unknown, and white space, from a
    /// seeded generator: a failure names the seed.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func randomBodiesReadAsDecodableReadsThem(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<40 {
            let json = Self.randomBody(&random)
            let expected = Self.reference(json)
            #expect(expected != nil, "the generator writes JSON: \(json)")
            #expect(Self.fast(json) == expected, "seed \(seed): \(json)")
        }
    }

    static let fields = [
        "dossier_code", "procedure_code", "agency", "received_at", "due_at", "event_id", "event_at", "note",
        "channel", "status", "applicant", "type", "id", "name", "items", "unknown", "notes", "",
    ]

    static func randomBody(_ random: inout SeededRandom) -> String {
        var items: [String] = []
        for _ in 0..<random.next(12) {
            items.append(random.next(10) == 0 ? randomValue(&random, depth: 1) : randomObject(&random, depth: 0))
        }
        let space = random.next(3) == 0 ? " \n\t" : ""
        return "{\(space)\"items\"\(space):\(space)[\(items.joined(separator: ",\(space)"))]\(space)}"
    }

    static func randomObject(_ random: inout SeededRandom, depth: Int) -> String {
        var members: [String] = []
        for _ in 0..<random.next(14) {
            let name = fields[random.next(fields.count)]
            let key =
                random.next(12) == 0 && !name.isEmpty
                ? "\"\\u00\(String(name.utf8.first!, radix: 16))\(name.dropFirst())\"" : "\"\(name)\""
            let value =
                name == "applicant" && random.next(3) > 0
                ? randomObject(&random, depth: depth + 1) : randomValue(&random, depth: depth + 1)
            members.append("\(key):\(value)")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static let strings = [
        "", "a", "000.00.61.H29-250701-0001", "Nguyễn Thị Minh Anh", "2025-07-01T08:00:00+07:00", " padded ",
        #"q\"uote"#, #"back\\slash"#, #"\/"#, #"\n\t\r\b\f"#, #"\u0041\u00e9"#, #"\ud83d\ude00"#, #"\ud800"#,
        #"\udfff"#, "😀", "\u{7F}", "Tiếng Việt có dấu",
    ]
    static let numbers = [
        "0", "-0", "1", "2", "10", "-7", "2.0", "2.5", "1e2", "1E+2", "25e-1", "20E-1", "0.0", "-0.0",
        "123456789012345678", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "1e300", "1e400", "0.000001",
    ]

    static func randomValue(_ random: inout SeededRandom, depth: Int) -> String {
        switch random.next(depth > 3 ? 5 : 7) {
        case 0: return "null"
        case 1: return random.next(2) == 0 ? "true" : "false"
        case 2, 3: return "\"\(strings[random.next(strings.count)])\""
        case 4: return numbers[random.next(numbers.count)]
        case 5:
            return "[" + (0..<random.next(4)).map { _ in randomValue(&random, depth: depth + 1) }.joined(separator: ",")
                + "]"
        default: return randomObject(&random, depth: depth + 1)
        }
    }

    // MARK: Hand-written JSON

    @Test func jsonTextWritesStringsJSONReadsBack() throws {
        var samples = [
            "", "plain", "Nguyễn Văn An", #"a"b\c/d"#, "line\nbreak\ttab\rreturn", "\u{0}\u{1}\u{1F}\u{7F}",
            "😀 🇻🇳", "\u{2028}\u{2029}", "\\u0041",
            // An escaped character inside what Swift counts as one character: CR LF, a quote with a combining mark.
            "a\r\nb", "\"\u{301}x", "e\u{301}\"", "🇻🇳\"🇻🇳", #"{"accountType":"citizen","fullName":"Nguyễn Văn An"}"#,
        ]
        samples += (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        for sample in samples {
            var text = ""
            JSONText.appendString(sample, to: &text)
            let read = try JSONDecoder().decode(String.self, from: Data(text.utf8))
            // Scalar by scalar: String's == would take a decomposed character for a precomposed one.
            #expect(Array(read.unicodeScalars) == Array(sample.unicodeScalars), "\(text)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so that a failing body can be made again from its seed.
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
    }
}
