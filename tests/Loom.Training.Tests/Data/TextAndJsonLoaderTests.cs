using Loom.Training.Data;

namespace Loom.Training.Tests.Data;

public sealed class TextAndJsonLoaderTests
{
    [Fact]
    public void TextLinesAndParagraphs()
    {
        using var files = new TempFiles();
        var path = files.Write("t.txt", "First Citizen:\nBefore we proceed\n\n  \nSecond:\nSpeak.\n");
        Assert.Equal(["First Citizen:", "Before we proceed", "  ", "Second:", "Speak."], TextLoader.ReadLines(path));
        Assert.Equal(["First Citizen:\nBefore we proceed", "Second:\nSpeak."], TextLoader.ReadParagraphs(path));
    }

    [Fact]
    public void JsonlFieldsAndBadLines()
    {
        using var files = new TempFiles();
        var path = files.Write("d.jsonl", "{\"text\": \"一\"}\n\n{\"text\": \"two\", \"n\": 2}\n");
        Assert.Equal(["一", "two"], JsonlLoader.ReadField(path, "text"));
        var bad = files.Write("b.jsonl", "{\"text\": \"a\"}\n{oops}\n");
        Assert.Equal(2, Assert.Throws<DataFormatException>(() => JsonlLoader.Read(bad).ToArray()).Line);
        var missing = files.Write("m.jsonl", "{\"body\": \"a\"}\n");
        Assert.Throws<DataFormatException>(() => JsonlLoader.ReadField(missing, "text").ToArray());
    }

    [Fact]
    public void PoetryReaderUsesTitleOrRhythmic()
    {
        using var files = new TempFiles();
        var path = files.Write("p.json", """
            [{"author": "李白", "paragraphs": ["床前明月光，疑是地上霜。", "舉頭望明月，低頭思故鄉。"], "title": "靜夜思"},
             {"author": "蘇軾", "paragraphs": ["明月幾時有"], "rhythmic": "水調歌頭"}]
            """);
        var poems = PoetryReader.Read(path);
        Assert.Equal(2, poems.Count);
        Assert.Equal("靜夜思", poems[0].Title);
        Assert.Equal("床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。", poems[0].Text);
        Assert.Equal("水調歌頭", poems[1].Title);
        Assert.Throws<DataFormatException>(() => PoetryReader.Read(files.Write("bad.json", "{\"a\": 1}")));
    }

    [Fact]
    public void CmrcReaderReadsSquadLayout()
    {
        using var files = new TempFiles();
        var path = files.Write("c.json", """
            {"version": "v1.0", "data": [{"paragraphs": [{"id": "P0", "context": "北京是中国的首都。",
              "qas": [{"id": "Q0", "question": "中国的首都是哪里？", "answers": [{"text": "北京", "answer_start": 0}, {"text": "北京", "answer_start": 0}]},
                      {"id": "Q1", "question": "北京是什么？", "answers": [{"text": "中国的首都", "answer_start": 3}]}]}], "id": "A0"}]}
            """);
        var examples = CmrcReader.Read(path);
        Assert.Equal(2, examples.Count);
        Assert.Equal("Q1", examples[1].Id);
        Assert.Equal(["中国的首都"], examples[1].Answers);
        Assert.Equal([3], examples[1].AnswerStarts);
        Assert.Equal(["北京是中国的首都。"], CmrcReader.ReadPassages(path));
    }

    [Fact]
    public void ParallelTextPairsLinesAndRejectsMismatch()
    {
        using var files = new TempFiles();
        var en = files.Write("a.en", "A dog.\nTwo men.\n");
        var de = files.Write("a.de", "Ein Hund.\nZwei Männer.\n");
        Assert.Equal([new SentencePair("A dog.", "Ein Hund."), new SentencePair("Two men.", "Zwei Männer.")], ParallelTextReader.Read(en, de));
        var shortDe = files.Write("b.de", "Ein Hund.\n");
        var e = Assert.Throws<DataFormatException>(() => ParallelTextReader.Read(en, shortDe).ToArray());
        Assert.Equal(shortDe, e.Source);
    }
}
