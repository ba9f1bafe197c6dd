# syntax=docker/dockerfile:1
# The portal for production: PostgreSQL provider, non-root, port 8080. Build: docker build -t kitashin-portal .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is reused while only code changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY Portal.Domain/Portal.Domain.csproj Portal.Domain/
COPY Portal.TokenApp/Portal.TokenApp.csproj Portal.TokenApp/
COPY Portal/Portal.csproj Portal/
RUN dotnet restore Portal/Portal.csproj
COPY Portal.Domain/ Portal.Domain/
COPY Portal.TokenApp/ Portal.TokenApp/
COPY Portal/ Portal/
RUN dotnet publish Portal/Portal.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# 9464: Prometheus scrapes /metrics there (docs/decisions/0007); publish it to the internal network only.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Database__Provider=Postgres \
    Observability__MetricsPort=9464
# Given at run time, no defaults (see compose.yaml and README; the portal refuses to start without them):
# ConnectionStrings__Portal, DataProtection__CertificatePath and DataProtection__CertificatePassword, AllowedHosts (the
# bank's host names), Otp__PublicBaseUrl (the base of every mailed link), Proxy__TrustedProxies__0 (the reverse proxy
# that terminates TLS).
EXPOSE 8080
# The image's unprivileged "app" user; the app writes nothing to its own folder.
USER $APP_UID
ENTRYPOINT ["dotnet", "Portal.dll"]
