/// java.util.logging's `SimpleFormatter` (Tomcat's `catalina.out` by default) under a JVM whose
/// locale is not English. The layout is the same two lines, `MONTH DD, YYYY H:MM:SS AM|PM class
/// method` then `LEVEL: message`, but the month, the marker and the level are the locale's:
/// `12月 07, 2026 2:05:09 下午 …` then `严重: …`. Java 6 wrote the locale's medium date instead
/// (`2011-3-16 14:17:30 …` in Chinese). The names are the JDK's own (its CLDR data, and the
/// COMPAT data JDK 8 used: `十二月`, bare `12` in Japanese), for the locales its logging
/// messages are translated into and a few more that keep English level names.
enum LocalizedJUL {
    /// `12月 07, 2026 2:05:09 下午 Class method`, `Dez. 07, 2026 2:05:09 PM …`, `dic 07, 2026 2:05:09 P. M. …`.
    /// Cheap to refuse: the bytes after the first word must be `DD, YYYY `.
    static func header(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        var space = 0
        while space < min(line.count, 16), line[space] != 0x20 { space += 1 }
        guard space > 0, space < 16, line.byte(space + 3) == 0x2C, line.byte(space + 4) == 0x20,
              let day = line.digits(at: space + 1, length: 2), let year = line.digits(at: space + 5, length: 4),
              line.byte(space + 9) == 0x20 else { return nil }
        var index = space + 10
        guard var (hour, minute, second) = LogHeaderParser.clock(line, &index), line.byte(index) == 0x20,
              let month = month(UnsafeRawBufferPointer(rebasing: line[0..<space])) else { return nil }
        index += 1
        // The marker: one word (`下午`, `PM`, `EM`) or two (`P. M.`); an unknown one would leave
        // the hour twelve off, so the line is not taken for a header.
        guard let (afternoon, end) = marker(line, at: index) else { return nil }
        if afternoon, hour < 12 { hour += 12 }
        if !afternoon, hour == 12 { hour = 0 }
        guard let stamp = LogTimestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                       millisecond: 0) else { return nil }
        return LogHeader(style: .julTwoLine, timestamp: stamp, level: nil, messageStart: line.skippingBlanks(from: end))
    }

    /// `2011-3-16 14:17:30 Class method`: Java 6's SimpleFormatter under a Chinese locale (its
    /// medium date, month and day unpadded). Two-digit ones are `iso`'s.
    static func unpaddedDate(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        guard let year = line.digits(at: 0, length: 4), line.byte(4) == 0x2D else { return nil }
        var index = 5
        guard let month = LogHeaderParser.number(line, &index, maxDigits: 2), line.byte(index) == 0x2D else { return nil }
        index += 1
        guard let day = LogHeaderParser.number(line, &index, maxDigits: 2), line.byte(index) == 0x20, index < 10 else { return nil }
        index += 1
        guard let (hour, minute, second) = LogHeaderParser.clock(line, &index), line.byte(index) == 0x20,
              let stamp = LogTimestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                       millisecond: 0) else { return nil }
        // A layout of this date with its level on the same line (`2024-1-5 9:03:07 ERROR …`).
        if let level = LogHeaderParser.findLevel(line, from: index, limit: 64) {
            return LogHeader(style: .iso, timestamp: stamp, level: level.level, messageStart: line.skippingBlanks(from: level.end))
        }
        return LogHeader(style: .julTwoLine, timestamp: stamp, level: nil, messageStart: line.skippingBlanks(from: index + 1))
    }

    /// `严重: message`, `SCHWERWIEGEND: …`, `AM FEINSTEN: …`: a translated level name before a colon
    /// (a full-width one too), at the start of a record's second line.
    static func level(_ line: UnsafeRawBufferPointer) -> LogLevel? {
        var colon = 0
        while colon < min(line.count, 32), line[colon] != 0x3A, line[colon] != 0xEF { colon += 1 }
        guard colon > 0, colon < min(line.count, 32) else { return nil }
        if line[colon] == 0xEF, !(line.byte(colon + 1) == 0xBC && line.byte(colon + 2) == 0x9A) { return nil }   // ：
        return levels[String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<colon]), as: UTF8.self)]
    }

    // MARK: - The JDK's names

    /// `Level.getLocalizedName()` for the JDK's translations (zh_CN, zh_TW, ja, ko, de, fr, es,
    /// it, pt_BR, sv); the other locales print the English names.
    static let levels: [String: LogLevel] = {
        var table: [String: LogLevel] = [:]
        let names: [(LogLevel, [String])] = [
            (.error, ["严重", "嚴重", "重大", "심각", "SCHWERWIEGEND", "GRAVE", "ALLVARLIG"]),
            (.warn, ["警告", "경고", "WARNUNG", "AVERTISSEMENT", "ADVERTENCIA", "AVVERTENZA", "ADVERTÊNCIA", "VARNING"]),
            (.info, ["信息", "資訊", "情報", "정보", "INFORMATION", "INFOS", "INFORMACIÓN", "INFORMAZIONI", "INFORMAÇÕES",
                     "配置", "組態", "構成", "구성", "KONFIGURATION", "CONFIGURAR", "CONFIGURAZIONE", "CONFIGURAÇÃO", "KONFIG"]),
            (.debug, ["详细", "詳細", "普通", "미세", "FEIN", "PRÉCIS", "DETALLADO", "BUONO", "DETALHADO", "FIN"]),
            (.trace, ["较详细", "較詳細", "非常详细", "最詳細", "最も詳細", "보다 미세", "가장 미세", "FEINER", "AM FEINSTEN",
                      "PLUS PRÉCIS", "LE PLUS PRÉCIS", "MUY DETALLADO", "MÁS DETALLADO", "MIGLIORE", "OTTIMALE",
                      "MAIS DETALHADO", "O MAIS DETALHADO", "FINARE", "FINASTE"]),
        ]
        // Japanese FINER is 詳細, which is Taiwanese FINE: both are fine-grained, and debug.
        for (level, words) in names { for word in words where table[word] == nil { table[word] = level } }
        return table
    }()

    /// `%tb` in CLDR and COMPAT data, lower-cased and without a final dot, as 1…12.
    static let months: [String: Int] = {
        let names: [[String]] = [
            ["jan", "jän", "janv", "ene", "gen", "sty", "oca", "янв"],
            ["feb", "févr", "fev", "lut", "şub", "февр", "фев"],
            ["mar", "märz", "mär", "mrz", "mars", "mrt", "мар"],
            ["apr", "avr", "abr", "kwi", "nis", "апр"],
            ["may", "mai", "maj", "mag", "mei", "мая"],
            ["jun", "juni", "juin", "giu", "cze", "haz", "июн"],
            ["jul", "juli", "juil", "lug", "lip", "tem", "июл"],
            ["aug", "août", "ago", "sie", "ağu", "авг"],
            ["sep", "sept", "set", "wrz", "eyl", "сент", "сен"],
            ["oct", "okt", "ott", "out", "paź", "eki", "окт"],
            ["nov", "lis", "kas", "нояб", "ноя"],
            ["dec", "dez", "déc", "dic", "gru", "ara", "дек"],
        ]
        var table: [String: Int] = [:]
        for (index, words) in names.enumerated() { for word in words { table[word] = index + 1 } }
        return table
    }()

    private static func month(_ word: UnsafeRawBufferPointer) -> Int? {
        var text = String(decoding: word, as: UTF8.self)
        if text.hasSuffix("月") || text.hasSuffix("월") { text.removeLast() }
        if let number = Int(text), (1...12).contains(number) { return number }
        if let number = chineseNumber(text) { return number }
        if text.hasSuffix(".") { text.removeLast() }
        return months[text.lowercased()]
    }

    private static let chineseDigits: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]

    /// 一 … 十二.
    private static func chineseNumber(_ text: String) -> Int? {
        let digits = chineseDigits
        if text == "十" { return 10 }
        if text.count == 1, let value = digits[text.first!] { return value }
        if text.count == 2, text.first == "十", let value = digits[text.last!], value <= 2 { return 10 + value }
        return nil
    }

    /// Spanish CLDR writes `P.\u{A0}M.` (a no-break space), its COMPAT data `PM`.
    static let afternoon: Set<String> = ["PM", "P.M.", "P. M.", "P.\u{A0}M.", "下午", "午後", "오후", "EM", "ÖS"]
    static let morning: Set<String> = ["AM", "A.M.", "A. M.", "A.\u{A0}M.", "上午", "午前", "오전", "FM", "ÖÖ"]

    /// The marker at `index`: whether it means afternoon, and where it ends.
    private static func marker(_ line: UnsafeRawBufferPointer, at index: Int) -> (Bool, Int)? {
        var end = index
        while end < min(line.count, index + 12), line[end] != 0x20 { end += 1 }
        let one = String(decoding: UnsafeRawBufferPointer(rebasing: line[index..<end]), as: UTF8.self)
        if afternoon.contains(one) { return (true, end) }
        if morning.contains(one) { return (false, end) }
        var second = end + 1
        while second < min(line.count, end + 8), line[second] != 0x20 { second += 1 }
        guard end < line.count, second <= line.count else { return nil }
        let two = String(decoding: UnsafeRawBufferPointer(rebasing: line[index..<second]), as: UTF8.self)
        if afternoon.contains(two) { return (true, second) }
        if morning.contains(two) { return (false, second) }
        return nil
    }
}
