# Multi-stage build: a static binary on a distroless base, running as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/autograph . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/autograph /autograph
# The embedded store's data directory, owned by the non-root user (uid 65532).
COPY --from=build --chown=65532:65532 /out/data /data
ENV KG_DATA_DIR=/data
VOLUME /data
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/autograph"]
