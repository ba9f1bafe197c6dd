using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.TokenApp;

/// <summary>What the device keeps after set-up; the secret never leaves it again.</summary>
public sealed record StoredToken(string ServiceId, string UserId, string Secret, int Digits, int Period);

public sealed record ActivationRequest(string ServiceId, string UserId, string ActivationPassword, string? Code);

public sealed record ActivationResponse(
    string? ServiceId, string? UserId, string? Secret, int? Digits, int? Period, string? Algorithm);

public sealed record ErrorResponse(string? Message);

/// <summary>Source-generated (trim-safe) JSON with the API's camelCase names.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StoredToken))]
[JsonSerializable(typeof(ActivationRequest))]
[JsonSerializable(typeof(ActivationResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class TokenJson : JsonSerializerContext;
