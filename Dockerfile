# A minimal image: the static iamfit binary on distroless/static, as a
# non-root user. Build: docker build -t iamfit .
# Run: docker run --rm -v "$PWD:/repo" -w /repo iamfit generate .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
ARG COMMIT=""
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/iamfit/iamfit/internal/cli.Version=${VERSION} -X github.com/iamfit/iamfit/internal/cli.Commit=${COMMIT}" \
      -o /out/iamfit ./cmd/iamfit

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/iamfit /usr/local/bin/iamfit
COPY LICENSE /usr/share/doc/iamfit/LICENSE
USER nonroot
ENTRYPOINT ["/usr/local/bin/iamfit"]
