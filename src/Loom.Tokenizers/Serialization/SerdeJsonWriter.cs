// Writes a JsonNode the way serde_json's pretty printer does (Hugging Face Tokenizer::save(pretty=true)):
// two-space indentation, "key": value, empty containers as [] / {}, only '"', '\\' and control characters escaped
// (\b \f \n \r \t short forms, others as \u00xx), everything else written as UTF-8.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Loom.Tokenizers.Serialization;

/// <summary>serde_json-compatible JSON text.</summary>
internal static class SerdeJsonWriter
{
    public static string Write(JsonNode? node, bool pretty)
    {
        var sb = new StringBuilder();
        WriteNode(sb, node, pretty, 0);
        return sb.ToString();
    }

    private static void Indent(StringBuilder sb, int level)
    {
        sb.Append('\n');
        sb.Append(' ', level * 2);
    }

    private static void WriteNode(StringBuilder sb, JsonNode? node, bool pretty, int level)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }

                sb.Append('{');
                bool first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    if (pretty)
                    {
                        Indent(sb, level + 1);
                    }

                    WriteString(sb, key);
                    sb.Append(pretty ? ": " : ":");
                    WriteNode(sb, value, pretty, level + 1);
                }

                if (pretty)
                {
                    Indent(sb, level);
                }

                sb.Append('}');
                break;
            case JsonArray arr:
                if (arr.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append('[');
                for (int i = 0; i < arr.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    if (pretty)
                    {
                        Indent(sb, level + 1);
                    }

                    WriteNode(sb, arr[i], pretty, level + 1);
                }

                if (pretty)
                {
                    Indent(sb, level);
                }

                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
            default:
                throw new InvalidOperationException($"Unexpected JSON node {node.GetType()}.");
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                if (value.TryGetValue(out int i))
                {
                    sb.Append(i.ToString(CultureInfo.InvariantCulture));
                }
                else if (value.TryGetValue(out long l))
                {
                    sb.Append(l.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    double d = value.GetValue<double>();
                    string r = d.ToString("R", CultureInfo.InvariantCulture);
                    sb.Append(r.Contains('.', StringComparison.Ordinal) || r.Contains('E', StringComparison.Ordinal) ? r.Replace("E", "e", StringComparison.Ordinal) : r + ".0");
                }

                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
