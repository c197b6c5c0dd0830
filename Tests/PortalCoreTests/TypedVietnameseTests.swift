import Foundation
import PortalCore
import Testing

@Suite struct TypedVietnameseTests {
    /// Real search queries from procedure names: the accented text, typed in Telex, typed in VNI.
    static let queries: [(text: String, telex: String, vni: String)] = [
        ("Đăng ký khai sinh", "ddawng kys khai sinh", "d9a8ng ky1 khai sinh"),
        ("Đăng ký khai sinh", "DDăng kys khai sinh", "D9a8ng KY1 khai sinh"),
        ("Đăng ký kết hôn", "ddawng kys keets hoon", "d9a8ng ky1 ke61t ho6n"),
        ("Đăng ký khai tử", "ddawng kys khai tuwr", "d9a8ng ky1 khai tu73"),
        ("Đăng ký thường trú", "ddawng kys thuwowngf truS", "d9a8ng ky1 thu7o7ng2 tru1"),
        ("Đăng ký tạm trú", "ddawng kys tamj truS", "d9a8ng ky1 ta5m tru1"),
        ("Đăng ký tạm vắng", "ddawng kys tamj vawngs", "d9a8ng ky1 ta5m va8ng1"),
        (
            "Chứng thực bản sao từ bản chính", "chuwngs thuwcj banr sao tuwf banr chinhs",
            "chu7ng1 thu75c ba3n sao tu72 ba3n chi1nh"
        ),
        ("chứng thực chữ ký", "chuwngs thuwcj chuwx kys", "chu7ng thu75c chu74 ky1"),
        ("Đăng ký hộ kinh doanh", "ddawng kys hooj kinh doanh", "d9a8ng ky1 ho65 kinh doanh"),
        ("Cấp giấy phép xây dựng", "caaps giaays pheps xaay duwngj", "ca6p1 gia6y1 phe1p xa6y du7ng5"),
        ("Cấp đổi giấy phép lái xe", "caaps ddooir giaays pheps lais xe", "ca61p d9o63i gia61y phe1p la1i xe"),
        ("Cấp phiếu lý lịch tư pháp", "caaps phieeus lys lijch tw phaps", "ca6p1 phie6u1 ly1 li5ch tu7 pha1p"),
        (
            "Quyết toán thuế thu nhập cá nhân", "quyeets toans thuees thu nhaapj cas nhaan",
            "quye6t1 toa1n thue61 thu nha6p5 ca1 nha6n"
        ),
        ("Đăng ký đất đai", "ddawng kys ddaats ddai", "d9a8ng ky1 d9a6t1 d9ai"),
        ("Cấp căn cước công dân", "caaps cawn cuwowcs coong daan", "ca6p1 ca8n cu7o7c1 co6ng da6n"),
        ("Cấp hộ chiếu phổ thông", "caaps hooj chieeus phoor thoong", "ca6p1 ho65 chie6u1 pho63 tho6ng"),
        ("người nước ngoài", "nguwowif nuwowcs ngoaif", "ngu7o72i nu7o71c ngoa2i"),
        ("người nước ngoài", "nguowif nuowcs ngoaif", "nguo72i nuo71c ngoai2"),
        ("bảo hiểm xã hội", "baor hieerm xax hooij", "ba3o hie63m xa4 ho65i"),
        ("bảo hiểm y tế", "baor hieerm y tees", "ba3o hie6m3 y te61"),
        (
            "giấy chứng nhận quyền sử dụng đất", "giaays chuwngs nhaanj quyeenf suwr duwngj ddaats",
            "gia6y1 chu7ng1 nha6n5 quye6n2 su73 du7ng5 d9a6t1"
        ),
        ("trợ cấp thất nghiệp", "trowj caaps thaats nghieepj", "tro75 ca6p1 tha6t1 nghie6p5"),
        ("đăng ký doanh nghiệp", "ddawng kys doanh nghieepj", "d9a8ng ky1 doanh nghie6p5"),
        (
            "cấp bản sao trích lục hộ tịch", "caaps banr sao trichs lucj hooj tichj",
            "ca6p1 ba3n sao tri1ch lu5c ho65 ti5ch"
        ),
        ("xác nhận tình trạng hôn nhân", "xacs nhaanj tinhf trangj hoon nhaan", "xa1c nha6n5 ti2nh tra5ng ho6n nha6n"),
        ("đăng ký nhận cha mẹ con", "ddawng kys nhaanj cha mej con", "d9a8ng ky1 nha6n5 cha me5 con"),
        ("đăng ký giám hộ", "ddawng kys giams hooj", "d9a8ng ky1 gia1m ho65"),
        ("thay đổi cải chính hộ tịch", "thay ddooir cair chinhs hooj tichj", "thay d9o6i3 ca3i chi1nh ho65 ti5ch"),
        ("xóa đăng ký thường trú", "xoas ddawng kys thuwowngf truS", "xo1a d9a8ng ky1 thu7o7ng2 tru1"),
        ("thủ tục hành chính", "thur tucj hanhf chinhs", "thu3 tu5c ha2nh chi1nh"),
        ("phí lệ phí", "phis leej phis", "phi1 le65 phi1"),
        (
            "chuyển mục đích sử dụng đất", "chuyeenr mucj ddichs suwr duwngj ddaats",
            "chuye63n mu5c d9i1ch su73 du7ng5 d9a6t1"
        ),
        ("giấy phép kinh doanh rượu", "giaays pheps kinh doanh ruwowuj", "gia6y1 phe1p kinh doanh ru7o7u5"),
        ("đăng ký xe máy", "ddawng kys xe mays", "d9a8ng ky1 xe ma1y"),
        ("thôi quốc tịch", "thooi quoocs tichj", "tho6i quo6c1 ti5ch"),
        ("nhập quốc tịch Việt Nam", "nhaapj quoocs tichj Vieetj Nam", "nha6p5 quo6c1 ti5ch Vie6t5 Nam"),
        ("hỗ trợ người lao động", "hoox trowj nguwowif lao ddoongj", "ho64 tro75 ngu7o72i lao d9o6ng5"),
        ("bồi thường nhà nước", "booif thuwowngf nhaf nuwowcs", "bo62i thu7o72ng nha2 nu7o71c"),
        ("khiếu nại tố cáo", "khieeus naij toos caos", "khie61u na5i to61 ca1o"),
        (
            "đấu giá quyền sử dụng đất", "ddaaus gias quyeenf suwr duwngj ddaats",
            "d9a6u1 gia1 quye6n2 su73 du7ng5 d9a6t1"
        ),
        ("nghĩa vụ quân sự", "nghiax vuj quaan suwj", "nghi4a vu5 qua6n su75"),
        ("miễn giảm học phí", "mieexn giamr hocj phis", "mie64n gia3m ho5c phi1"),
        ("tiếng Việt", "tieesng vieejt", "tie61ng vie65t"),
        ("chứng thực", "chuwsng thuwjc", "chung71 thuc75"),
        ("trường học", "truwowfng hojc", "truong72 hoc5"),
        ("Ủy ban nhân dân xã", "Uyr ban nhaan daan xax", "U3y ban nha6n da6n xa4"),
        ("nuôi con nuôi", "nuoi con nuoi", "nuo6i con nuo6i"),
        ("giữ gìn", "giwx gifn", "giu74 gi2n"),
        ("khuyến khích đầu tư", "khuyeens khichs ddaauf tuw", "khuye61n khi1ch d9a62u tu7"),
        ("thuở", "thuowr", "thuo73"),
    ]

    /// Accented words drawn from the real procedure names (`ten_thu_tuc`), the 300 most frequent.
    static let words: [String] = [
        "cấp", "công", "giấy", "thủ", "tục", "của", "ký", "chứng", "đăng", "nhận", "nước", "với", "động", "sản",
        "đối", "hàng", "phép", "đổi", "hoạt", "cho", "định", "dụng", "và", "ngoài", "tại", "hợp", "điều", "lại",
        "doanh", "tư", "xuất", "tổ", "nhập", "chức", "thông", "nhân", "khẩu", "bảo", "nam", "việt", "khai", "đầu",
        "thực", "trong", "thuế", "địa", "gia", "cơ", "nghiệp", "không", "thay", "hành", "có", "lý", "nhà", "quan",
        "trình", "quyền", "dịch", "tỉnh", "tài", "trường", "theo", "nội", "chuyển", "sở", "đất", "thành", "vụ",
        "thủy", "các", "thuộc", "sử", "án", "thuận", "phương", "chấp", "hạn", "hiện", "được", "kinh", "ở", "an",
        "kiểm", "chi", "xã", "giao", "dự", "quyết", "quốc", "dân", "ty", "người", "viên", "chính", "hoặc", "quản",
        "cá", "thu", "ngân", "xe", "về", "vốn", "hải", "vật", "tàu", "biển", "chủ", "bộ", "thẩm", "thác", "trung",
        "báo", "phòng", "chỉnh", "lập", "bổ", "nhánh", "nghị", "đề", "liệu", "hóa", "cảng", "từ", "tin", "trợ",
        "cảnh", "tác", "tín", "văn", "kiện", "chỉ", "sung", "đường", "xây", "phê", "giải", "phẩm", "dựng", "duyệt",
        "phát", "quỹ", "đủ", "đại", "pháp", "giới", "quy", "do", "miễn", "khu", "nuôi", "thương", "kết", "tịch",
        "bay", "toán", "tế", "xác", "toàn", "để", "tạm", "tiện", "đã", "dung", "là", "vận", "bị", "hộ", "giá", "hỗ",
        "sửa", "luật", "nghề", "số", "hiểm", "mại", "diện", "tiền", "thời", "khoản", "điểm", "trên", "tuyến", "bằng",
        "hữu", "bán", "khoán", "điện", "tử", "bố", "vào", "đồng", "vệ", "phần", "khí", "mục", "thuê", "nguyên",
        "khác", "liên", "môi", "ương", "tiếp", "khoáng", "thuốc", "trừ", "cổ", "danh", "tự", "giám", "vi", "vực",
        "việc", "chế", "tra", "tạo", "sát", "trồng", "vùng", "trực", "nhiệm", "trú", "thẻ", "thị", "phí", "thiết",
        "chấm", "cung", "hồi", "mua", "chuyên", "dứt", "lượng", "sinh", "làm", "cư", "hội", "hoạch", "bản", "chất",
        "triển", "khi", "thuật", "biên", "thức", "kế", "sách", "đảm", "loại", "thi", "nộp", "dữ", "ra", "đến", "sự",
        "tượng", "cầu", "mô", "rừng", "y", "hưởng", "chưa", "giống", "máy", "một", "phân", "kỹ", "thanh", "hình",
        "tập", "nhượng", "qua", "phục", "gắn", "lệ", "nghiệm", "đóng", "trở", "nông", "lưu", "tham", "tái", "phiếu",
        "mới", "đơn", "thể", "hiệu", "trụ", "ninh", "cộng", "lãnh", "ngoại", "ubnd", "nguồn", "cây", "đặt", "kho",
        "quá", "sau", "đích",
    ]

    /// Words whose typed form cannot fold back, each with the reason; the property tests leave out only these.
    static let ambiguous: [String: String] = [
        // VNI: one letter and one digit reads as a code (driving licence classes A1, B2; form numbers).
        "ô": "VNI `o6` is kept like a code such as `a1` or `b2`",
        "ý": "VNI `y1` is kept like a code such as `a1` or `b2`",
    ]

    // MARK: - Examples

    @Test(arguments: queries)
    func telexQueriesFoldLikeTheAccentedText(query: (text: String, telex: String, vni: String)) {
        #expect(TypedVietnamese.foldQuery(query.telex) == VietnameseText.fold(query.text))
    }

    @Test(arguments: queries)
    func vniQueriesFoldLikeTheAccentedText(query: (text: String, telex: String, vni: String)) {
        #expect(TypedVietnamese.foldQuery(query.vni) == VietnameseText.fold(query.text))
    }

    @Test(arguments: queries)
    func accentedQueriesFoldExactlyLikeVietnameseText(query: (text: String, telex: String, vni: String)) {
        #expect(TypedVietnamese.foldQuery(query.text) == VietnameseText.fold(query.text))
    }

    @Test(arguments: [
        "1.001193", "2.000815", "KQ.G01.000064", "000.00.00.G01", "2025", "30-4-1975", "5.000m3/ngày", "H1N1",
        "covid19", "3g", "b2", "a1", "e1", "mp3", "g01", "10a", "a10", "(LPG)", "Nghị định 23/2012/NĐ-CP",
    ])
    func codesAndNumbersPassThroughUnchanged(text: String) {
        #expect(TypedVietnamese.foldQuery(text) == VietnameseText.fold(text))
    }

    @Test(arguments: ["kys,", "(ddawng", "truS.", "d9a8ng-ky1", "tuwr/khai"])
    func wordsWithOtherCharactersAreNotRead(text: String) {
        #expect(TypedVietnamese.foldQuery(text) == VietnameseText.fold(text))
    }

    @Test(arguments: [
        "sinh", "khai", "xa", "tra", "ma", "tu", "thuc", "nguoi", "truong", "quyet", "giay", "khuya", "khuyu",
        "ruou", "nghieng", "oanh", "uyen", "xoong", "boong", "mooc", "gin", "gi",
    ])
    func plainSyllablesAreNeverTouched(word: String) {
        #expect(TypedVietnamese.foldQuery(word) == word)
    }

    @Test(arguments: [
        "ubnd", "tthc", "vneid", "bhxh", "email", "visa", "taxi", "internet", "asean", "cites", "iso", "oda",
        "www", "casino", "campuchia", "brandname", "flegt", "fulro", "nitow", "abtc", "dsphsk",
    ])
    func acronymsAndLoanwordsPassThroughUnchanged(word: String) {
        #expect(TypedVietnamese.foldQuery(word) == word)
    }

    @Test(arguments: [
        ("tasn", "tan"), ("tieesng", "tieng"), ("TIEENGS", "tieng"), ("w", "u"), ("wf", "u"), ("nhw", "nhu"),
        ("ngwowif", "nguoi"), ("truwowngf", "truong"), ("coong", "cong"), ("khoong", "khong"), ("ddi", "di"),
        ("tieng61", "tieng"), ("d9i", "di"), ("di9", "di"), ("ddiaj", "dia"), ("ngu7o72i", "nguoi"), ("mooc1", "mooc"),
    ])
    func typingOrdersThatTypistsUseAreRead(typed: String, folded: String) {
        #expect(TypedVietnamese.foldQuery(typed) == folded)
    }

    @Test(arguments: [
        // A tone inside the vowels or after a stop that cannot carry it, two tones, no vowel, `s` before a stop (English).
        "visa", "tacf", "tatr", "tasf", "ddd", "nt1", "a11", "ta1a", "tan66", "must", "test", "desk", "vieest",
    ])
    func keysWhereNoTypistPutsThemAreLeftAlone(word: String) {
        #expect(TypedVietnamese.foldQuery(word) == word)
    }

    @Test func whiteSpaceAndCaseAreFoldedAsBefore() {
        #expect(TypedVietnamese.foldQuery("") == "")
        #expect(TypedVietnamese.foldQuery("   \n\t ") == "")
        #expect(TypedVietnamese.foldQuery("  DDAWNG\tKYS  \n khai  SINH ") == "dang ky khai sinh")
    }

    // MARK: - Properties

    @Test(arguments: [
        ("đăng", Typist.telexToneAtEnd, "ddawng"), ("người", .telexToneAtEnd, "nguwowif"),
        ("người", .telexShortHorn, "nguowif"), ("chứng", .telexToneAfterVowels, "chuwsng"),
        ("việt", .telexToneAfterVowels, "vieejt"), ("tiếp", .telexToneAfterVowels, "tieeps"),
        ("Đăng", .vniToneAtEnd, "d9a8ng"), ("người", .vniToneOnVowel, "nguo72i"), ("hữu", .vniToneAfterVowels, "hu7u4"),
        ("đường", .vniMarksAtEnd, "duong972"), ("hữu", .vniMarksAtEnd, "huu74"), ("KÝ", .telexToneAtEnd, "KYS"),
    ])
    func theTestTypistsTypeLikePeople(word: String, typist: Typist, typed: String) {
        #expect(typist.type(word) == typed)
    }

    @Test func everyAccentedWordFoldsExactlyLikeVietnameseText() {
        let variants = Self.words + Self.words.map(\.capitalized) + Self.words.map { $0.uppercased() }
        for word in variants {
            #expect(TypedVietnamese.foldQuery(word) == VietnameseText.fold(word), "\(word)")
        }
    }

    @Test(arguments: Typist.allCases)
    func everyWordTypedInEveryStyleFoldsBack(typist: Typist) {
        for word in Self.words where Self.ambiguous[word] == nil || !typist.isVNI {
            let typed = typist.type(word)
            #expect(TypedVietnamese.foldQuery(typed) == VietnameseText.fold(word), "\(word) typed as \(typed)")
        }
    }

    @Test func randomQueriesTypedInRandomStylesFoldBack() {
        var generator = SplitMix64(seed: 0x5EED_2025)
        let usable = Self.words.filter { Self.ambiguous[$0] == nil }
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...6, using: &generator)
            let chosen = (0..<count).map { _ in usable.randomElement(using: &generator) ?? "" }
            let typed = chosen.map { word in
                let typist = Typist.allCases.randomElement(using: &generator) ?? .telexToneAtEnd
                let text = typist.type(word)
                return Bool.random(using: &generator) ? text.uppercased() : text
            }
            let query = typed.joined(separator: String(repeating: " ", count: Int.random(in: 1...3, using: &generator)))
            #expect(
                TypedVietnamese.foldQuery(query) == VietnameseText.fold(chosen.joined(separator: " ")),
                "\(chosen) typed as \(query)")
        }
    }

    @Test func randomMixesOfTypedAndAccentedWordsFoldBack() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<1_000 {
            let chosen = (0..<4).map { _ in Self.words.randomElement(using: &generator) ?? "" }
            let query = chosen.map { word in
                guard Self.ambiguous[word] == nil, Bool.random(using: &generator) else { return word }
                return (Typist.allCases.randomElement(using: &generator) ?? .vniToneAtEnd).type(word)
            }
            .joined(separator: " ")
            #expect(TypedVietnamese.foldQuery(query) == VietnameseText.fold(chosen.joined(separator: " ")), "\(query)")
        }
    }

    // MARK: - Real data

    static let dataDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PortalCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("../shared/data")
        .standardizedFileURL
    static let proceduresURL = dataDirectory.appendingPathComponent("vn-admin-procedures/procedures.csv")
    static let communesURL = dataDirectory.appendingPathComponent("vn-admin-units-2025/communes.csv")
    static let hasData =
        FileManager.default.fileExists(atPath: proceduresURL.path)
        && FileManager.default.fileExists(atPath: communesURL.path)

    /// The second field of each row of a real file: the procedure name (`ten_thu_tuc`) or the commune name (`name`).
    ///
    /// Read without a CSV reader (PortalCore has none): both files put a numeric code first and the name second,
    /// before any field that can hold a newline.
    static func names(in url: URL) throws -> [String] {
        var names: [String] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            // Rows start with a code (`1.001193`, `00004`); other lines continue a multi-line field.
            guard fields.count == 2, fields[0].allSatisfy({ $0.isNumber || $0 == "." }) else { continue }
            let rest = fields[1]
            if rest.hasPrefix("\"") {
                names.append(String(rest.dropFirst().prefix { $0 != "\"" }))
            } else {
                names.append(String(rest.prefix { $0 != "," }))
            }
        }
        return names
    }

    /// The folded words of `texts` that `foldQuery` changes.
    ///
    /// `foldQuery` folds and then reads each word on its own, so checking every distinct folded word is the same as
    /// checking every text, and much faster.
    static func wordsReadAsTyped(in texts: [String]) -> Set<String> {
        var words = Set<Substring>()
        for text in texts { words.formUnion(VietnameseText.fold(text).split(separator: " ")) }
        return Set(words.map(String.init).filter { TypedVietnamese.foldQuery($0) != $0 })
    }

    /// Plain words of real commune names that are also typed Vietnamese, which `foldQuery` reads as typed.
    ///
    /// Highland and north-western place names keep letters that Telex uses as keys. Each reading is what a typist
    /// of the common word means (`khoong` is `không` typed without its tone), so the query wins; a search index
    /// that folds names with `foldQuery` too finds these communes either way.
    static let communeWordsReadAsTyped: [String: String] = [
        "toong": "Mường Toong; Telex `tông`",
        "khoong": "Chiềng Khoong; Telex `không`",
        "loong": "Tăng Loong, Sa Loong; Telex `lông`",
        "ngoong": "Bó Ngoong; Telex `ngông`",
        "ee": "Là Ee; Telex `ê`",
        "dee": "Là Dee; Telex `dê`",
        "wa": "Đắk Rơ Wa; Telex `ưa`",
        "mar": "Đắk Mar; Telex `mả`",
        "kar": "Ia Kar; Telex `kả`",
        "tor": "Ia Tor; Telex `tỏ`",
        "uar": "Uar; Telex `ủa`",
        "dur": "Dur Kmăl; Telex `dủ`",
    ]

    /// Words in the other columns of procedures.csv that `foldQuery` reads as typed.
    static let procedureTextWordsReadAsTyped: [String: String] = [
        "dus": "the DUS test (distinctness, uniformity, stability) in a fee text; Telex `dú`",
        "tin5": "`thông tin` and `5 ngày` run together by the crawl in a fee text; VNI `tịn`",
    ]

    @Test(.enabled(if: hasData, "needs ../shared/data next to the repository"))
    func everyRealProcedureNameFoldsExactlyLikeVietnameseText() throws {
        let names = try Self.names(in: Self.proceduresURL)
        #expect(names.count == 2_642)
        #expect(names.contains("Thủ tục đăng ký khai sinh"))
        for name in names {
            #expect(TypedVietnamese.foldQuery(name) == VietnameseText.fold(name), "\(name)")
        }
    }

    @Test(.enabled(if: hasData, "needs ../shared/data next to the repository"))
    func realCommuneNamesFoldLikeVietnameseTextExceptTheListedWords() throws {
        let names = try Self.names(in: Self.communesURL)
        #expect(names.count == 3_321)
        #expect(Self.wordsReadAsTyped(in: names) == Set(Self.communeWordsReadAsTyped.keys))
    }

    @Test(.enabled(if: hasData, "needs ../shared/data next to the repository"))
    func everyColumnOfTheRealFilesFoldsLikeVietnameseTextExceptTheListedWords() throws {
        // Whole lines: agencies, fields, fees, addresses, with the punctuation around the words.
        var lines: [String] = []
        for url in [Self.proceduresURL, Self.communesURL] {
            lines += try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        }
        let changed = Self.wordsReadAsTyped(in: lines).subtracting(Self.communeWordsReadAsTyped.keys)
        #expect(changed == Set(Self.procedureTextWordsReadAsTyped.keys))
    }

    @Test(.enabled(if: hasData, "needs ../shared/data next to the repository"))
    func everyWordOfTheRealNamesTypedInEveryStyleFoldsBack() throws {
        let names = try Self.names(in: Self.proceduresURL) + Self.names(in: Self.communesURL)
        let words = Set(names.flatMap { $0.lowercased().split { !$0.isLetter }.map(String.init) })
        #expect(words.count > 1_500)
        var failures: [String] = []
        for word in words.sorted() where Self.realAmbiguous[word] == nil && Self.ambiguous[word] == nil {
            for typist in Typist.allCases
            where TypedVietnamese.foldQuery(typist.type(word)) != VietnameseText.fold(word) {
                failures.append("\(word) as \(typist.type(word))")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Words of the real procedure and commune names whose typed form cannot fold back, by reason.
    static let realAmbiguous: [String: String] = {
        let groups: [(reason: String, words: [String])] = [
            (
                "not one syllable: acronyms with đ and words the crawl ran together",
                ["bhtnlđ", "nđ", "qđ", "tnlđ", "ttđb", "tktư", "avương", "nitơ", "sơmei", "đakrông"]
            ),
            (
                "highland place-name syllable outside Vietnamese spelling (onsets bh dl dr hr km kn kr pl pn pr rv sr, "
                    + "finals h l r, ch after u)",
                [
                    "bhăng", "cuôr", "dliê", "drông", "drăng", "drắk", "hrú", "jút", "khăl", "khươl", "kmăl", "knuếc",
                    "knốp", "krái", "krêl", "krông", "nuôl", "plô", "plông", "pnôn", "prông", "púch", "păh", "păl",
                    "pưh", "rvê", "sró", "tôr", "tẻh", "đal",
                ]
            ),
            (
                "`oo` is Telex for ô, but spelled out in place names and loanwords (Bông typed `boong` is the loanword)",
                ["boòng", "bông", "khoong", "loong", "loỏng", "ngoong", "toong"]
            ),
            (
                "a plain word of a name that is also a Telex syllable",
                ["ans", "dur", "gar", "kar", "mar", "tw", "uar", "wa"]
            ),
            ("VNI: one letter and one digit is kept like the codes a1, b2", ["á", "é", "ơ", "ủ"]),
            ("`êê` (Là Dêê) is typed `eeee`, which no reading takes apart", ["dêê", "êê"]),
        ]
        return Dictionary(uniqueKeysWithValues: groups.flatMap { group in group.words.map { ($0, group.reason) } })
    }()
}

/// Types an accented word the way a person does on a keyboard without an input method, in one of several habits.
enum Typist: CaseIterable, CustomTestStringConvertible {
    case telexToneAtEnd, telexToneAfterVowels, telexShortHorn
    case vniToneAtEnd, vniToneOnVowel, vniToneAfterVowels, vniMarksAtEnd

    var testDescription: String { "\(self)" }

    var isVNI: Bool {
        switch self {
        case .telexToneAtEnd, .telexToneAfterVowels, .telexShortHorn: false
        default: true
        }
    }

    /// One typed letter: the keys, whether it is a vowel, whether it carries the tone.
    private struct Key {
        var keys: String
        var isVowel: Bool
        var carriesTone: Bool
    }

    /// `word` (lower or upper case) as this typist types it: `đăng` → `ddawng` or `d9a8ng`.
    func type(_ word: String) -> String {
        var typed: [Key] = []
        var tone: String?
        var trailingMarks = ""
        let letters = Array(word.lowercased())
        for (index, letter) in letters.enumerated() {
            let scalars = Array(String(letter).decomposedStringWithCanonicalMapping.unicodeScalars)
            let base = String(scalars[0])
            var key = Key(keys: base, isVowel: "aeiouy".contains(base), carriesTone: false)
            if base == "đ" {
                key.keys = isVNI ? "d9" : "dd"
                if self == .vniMarksAtEnd {
                    key.keys = "d"
                    trailingMarks += "9"
                }
            }
            for mark in scalars.dropFirst() {
                switch mark.value {
                case 0x306, 0x302, 0x31B:
                    let next = index + 1 < letters.count ? String(letters[index + 1]) : ""
                    let nextIsHornedO = next.decomposedStringWithCanonicalMapping.unicodeScalars.starts(with: [
                        "o", "\u{31B}",
                    ])
                    let shortHorn = (self == .telexShortHorn || self == .vniToneOnVowel) && base == "u" && nextIsHornedO
                    guard !shortHorn else { continue }
                    let telexMark = mark.value == 0x302 ? base : "w"
                    let vniMark = mark.value == 0x306 ? "8" : mark.value == 0x302 ? "6" : "7"
                    if self == .vniMarksAtEnd {
                        if !trailingMarks.contains(vniMark) { trailingMarks += vniMark }
                    } else {
                        key.keys += isVNI ? vniMark : telexMark
                    }
                case 0x301: tone = isVNI ? "1" : "s"
                case 0x300: tone = isVNI ? "2" : "f"
                case 0x309: tone = isVNI ? "3" : "r"
                case 0x303: tone = isVNI ? "4" : "x"
                case 0x323: tone = isVNI ? "5" : "j"
                default: break
                }
                if (0x300...0x323).contains(mark.value) && ![0x306, 0x302, 0x31B].contains(mark.value) {
                    key.carriesTone = true
                }
            }
            typed.append(key)
        }
        var keys = typed.map(\.keys)
        if let tone {
            switch self {
            case .telexToneAtEnd, .telexShortHorn, .vniToneAtEnd:
                keys.append(tone)
            case .vniMarksAtEnd:
                trailingMarks += tone
            case .vniToneOnVowel:
                if let index = typed.firstIndex(where: \.carriesTone) { keys[index] += tone }
            case .telexToneAfterVowels where tone == "s" && Self.endsInStop(word):
                // foldQuery reads no `s` before a stop (English `must`, `test`), so this typist puts it last.
                keys.append(tone)
            case .telexToneAfterVowels, .vniToneAfterVowels:
                if let index = typed.lastIndex(where: \.isVowel) { keys[index] += tone }
            }
        }
        let result = keys.joined() + trailingMarks
        return word == word.uppercased() && word != word.lowercased() ? result.uppercased() : result
    }

    /// Whether `word` ends in a stop consonant (c, ch, k, p, t).
    static func endsInStop(_ word: String) -> Bool {
        ["c", "ch", "k", "p", "t"].contains { VietnameseText.fold(word).hasSuffix($0) }
    }
}
