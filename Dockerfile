# CalSync's images: `docker build --target api .` and `docker build --target worker .`
# (docker-compose.yml builds both). Multi-stage: the SDK builds, the slim ASP.NET runtime runs.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/ src/
RUN dotnet publish src/CalSync.Api -c Release -o /app/api \
 && dotnet publish src/CalSync.Worker -c Release -o /app/worker

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS api
WORKDIR /app
COPY --from=build /app/api .
ENV Urls=http://0.0.0.0:8033
EXPOSE 8033
USER app
ENTRYPOINT ["dotnet", "CalSync.Api.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS worker
WORKDIR /app
COPY --from=build /app/worker .
ENV Urls=http://0.0.0.0:8035
EXPOSE 8035
USER app
ENTRYPOINT ["dotnet", "CalSync.Worker.dll"]
