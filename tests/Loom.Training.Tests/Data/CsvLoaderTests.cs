using Loom.Training.Data;

namespace Loom.Training.Tests.Data;

public sealed class CsvLoaderTests
{
    [Fact]
    public void QuotedFieldsHoldCommasQuotesAndLineBreaks()
    {
        const string text = "label,review\r\n1,\"好吃, 很快\"\r\n0,\"said \"\"no\"\"\nthen left\"\n1,plain\n";
        var rows = CsvLoader.Parse(new StringReader(text), "mem").ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Equal(["label", "review"], rows[0]);
        Assert.Equal(["1", "好吃, 很快"], rows[1]);
        Assert.Equal(["0", "said \"no\"\nthen left"], rows[2]);
        Assert.Equal(["1", "plain"], rows[3]);
    }

    [Fact]
    public void EmptyFieldsAndMissingFinalNewline()
    {
        var rows = CsvLoader.Parse(new StringReader("a,,\"\"\n,x"), "mem").ToArray();
        Assert.Equal(["a", "", ""], rows[0]);
        Assert.Equal(["", "x"], rows[1]);
    }

    [Fact]
    public void UnclosedQuoteNamesTheLine()
    {
        var e = Assert.Throws<DataFormatException>(() => CsvLoader.Parse(new StringReader("a,b\n1,\"open\n2,3\n"), "f.csv").ToArray());
        Assert.Equal(2, e.Line);
        Assert.Contains("closing quote", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsWithTheWrongFieldCountThrow()
    {
        using var files = new TempFiles();
        var path = files.Write("bad.csv", "label,review\n1,ok\n0,too,many\n");
        var e = Assert.Throws<DataFormatException>(() => CsvLoader.ReadRecords(path).ToArray());
        Assert.Equal(3, e.Line);
        Assert.Contains("2 fields", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SentimentReaderParsesLabels()
    {
        using var files = new TempFiles();
        var path = files.Write("w.csv", "label,review\n1,很准时\n0,\"太慢了,凉了\"\n");
        var rows = SentimentCsvReader.Read(path).ToArray();
        Assert.Equal([new LabeledText(1, "很准时"), new LabeledText(0, "太慢了,凉了")], rows);
        var bad = files.Write("b.csv", "label,review\npositive,x\n");
        Assert.Throws<DataFormatException>(() => SentimentCsvReader.Read(bad).ToArray());
    }

    [Fact]
    public void GaiicReaderParsesIdLists()
    {
        using var files = new TempFiles();
        var path = files.Write("g.csv", "18000,22 12 135,14 30\n18001,5 6,7,8 9\n");
        var rows = GaiicReportReader.Read(path).ToArray();
        Assert.Equal("18000", rows[0].Id);
        Assert.Equal([22, 12, 135], rows[0].Description);
        Assert.Equal([14, 30], rows[0].Diagnosis);
        Assert.Empty(rows[0].Clinical);
        Assert.Equal([8, 9], rows[1].Clinical);
        var bad = files.Write("b.csv", "1,2 x 3\n");
        Assert.Contains("\"x\"", Assert.Throws<DataFormatException>(() => GaiicReportReader.Read(bad).ToArray()).Message, StringComparison.Ordinal);
    }
}
