// Optional: reads the real data sets in ../shared/data (see its README) where they are present; skipped in a fresh clone.
using Loom.Training.Data;

namespace Loom.Training.Tests.Data;

public sealed class SharedDataReaderTests
{
    [Fact]
    public void MissingSharedFilesAreReportedAsAbsent() => Assert.Null(SharedDataFactAttribute.Locate("no_such_folder/no_such_file.txt"));

    [SharedDataFact("chinese_poetry/tangshi300.json")]
    public void TangPoems() => Assert.Equal(366, PoetryReader.Read(SharedDataFactAttribute.Locate("chinese_poetry/tangshi300.json")!).Count);

    [SharedDataFact("chinese_nlp_corpus/waimai_10k.csv")]
    public void WaimaiRows()
    {
        var rows = SentimentCsvReader.Read(SharedDataFactAttribute.Locate("chinese_nlp_corpus/waimai_10k.csv")!).ToArray();
        Assert.Equal(9987, rows.Length);
        Assert.All(rows, r => Assert.True(r.Label is 0 or 1));
    }

    [SharedDataFact("chinese_nlp_corpus/ChnSentiCorp_htl_all.csv")]
    public void HotelRows() => Assert.Equal(7766, SentimentCsvReader.Read(SharedDataFactAttribute.Locate("chinese_nlp_corpus/ChnSentiCorp_htl_all.csv")!).Count());

    [SharedDataFact("gaiic2023_medical_report/valid_split.csv")]
    public void GaiicRows()
    {
        // valid_split.csv has no header row in the copy described by the README ("2,000 rows id,description,diagnosis").
        var rows = GaiicReportReader.Read(SharedDataFactAttribute.Locate("gaiic2023_medical_report/valid_split.csv")!).ToArray();
        Assert.Equal(2000, rows.Length);
        Assert.All(rows, r => Assert.NotEmpty(r.Description));
    }

    [SharedDataFact("cmrc2018/cmrc2018_dev.json")]
    public void CmrcDev() => Assert.Equal(3219, CmrcReader.Read(SharedDataFactAttribute.Locate("cmrc2018/cmrc2018_dev.json")!).Count);

    [SharedDataFact("multi30k/val.en")]
    public void Multi30kValidation() =>
        Assert.Equal(1014, ParallelTextReader.Read(SharedDataFactAttribute.Locate("multi30k/val.en")!, SharedDataFactAttribute.Locate("multi30k/val.de")!).Count());

    [SharedDataFact("tinyshakespeare/input.txt")]
    public void TinyShakespeare() => Assert.Equal(1_115_394, TextLoader.ReadAll(SharedDataFactAttribute.Locate("tinyshakespeare/input.txt")!).Length);
}
