namespace Loom.Training.Data;

/// <summary>
/// One GAIIC 2023 track 1 report: anonymised CT description and diagnosis as integer character ids (the diagnosis
/// and clinical fields are empty where the file has none).
/// </summary>
public sealed record MedicalReport(string Id, int[] Description, int[] Diagnosis, int[] Clinical);
