import { runRuleTests } from './harness';

/** An nginx image whose setup is the RUNs given. */
const nginx = (runs: string) => `FROM nginx:1.27.0-alpine3.19
${runs}
COPY nginx.conf /etc/nginx/nginx.conf
COPY site/ /usr/share/nginx/html/
EXPOSE 8080
`;

runRuleTests('dockerfile-consecutive-runs', {
  fileName: 'Dockerfile',
  valid: [
    {
      name: 'four RUNs in a row',
      text: nginx('RUN apk add --no-cache curl\nRUN adduser -D web\nRUN mkdir -p /var/cache/nginx/client_temp\nRUN chown -R web:web /var/cache/nginx'),
    },
    {
      name: 'RUNs separated by other instructions',
      text: nginx('RUN apk add --no-cache curl\nRUN adduser -D web\nWORKDIR /srv\nRUN mkdir -p logs\nRUN chown -R web:web /srv\nUSER web\nRUN touch logs/access.log'),
    },
    {
      name: 'many RUNs in a builder stage',
      text: `FROM golang:1.22.5-alpine3.20 AS build
RUN apk add --no-cache git
RUN go env -w GOFLAGS=-mod=mod
RUN mkdir /src
RUN git config --global advice.detachedHead false
RUN go install golang.org/x/tools/cmd/stringer@v0.22.0

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/stringer /stringer
ENTRYPOINT ["/stringer"]
`,
    },
    {
      name: 'a higher limit',
      text: nginx('RUN apk add --no-cache curl\nRUN adduser -D web\nRUN mkdir -p /a\nRUN mkdir -p /b\nRUN mkdir -p /c'),
      settings: { rules: { 'dockerfile-consecutive-runs': { options: { maxConsecutiveRuns: 5 } } } },
    },
  ],
  invalid: [
    {
      name: 'five RUNs: merged into the first, comments kept, empty lines dropped',
      text: nginx(`RUN apk add --no-cache curl

RUN adduser -D web
# nginx writes its temporary files here
RUN mkdir -p /var/cache/nginx/client_temp \\
    && chmod 700 /var/cache/nginx/client_temp
RUN chown -R web:web /var/cache/nginx
RUN   rm -rf /usr/share/nginx/html/*`),
      findings: [{ line: 2, column: 1, endColumn: 4, message: '5 consecutive RUN instructions (lines 2–9) make 5 layers in the final image' }],
      output: nginx(`RUN apk add --no-cache curl && \\
    adduser -D web && \\
# nginx writes its temporary files here
    mkdir -p /var/cache/nginx/client_temp \\
    && chmod 700 /var/cache/nginx/client_temp && \\
    chown -R web:web /var/cache/nginx && \\
      rm -rf /usr/share/nginx/html/*`),
    },
    {
      name: 'no fix when a RUN changes directory for the next ones',
      text: nginx('RUN apk add --no-cache curl\nRUN cd /usr/share/nginx\nRUN rm -rf html/*\nRUN mkdir -p html/assets\nRUN adduser -D web'),
      findings: [{ line: 2, column: 1, message: '(the quick fix is not offered: `cd` on line 3 would carry over into the RUNs after it)' }],
    },
    {
      name: 'no fix with an exported variable, a flag or the exec form',
      text: nginx('RUN export TZ=UTC\nRUN --mount=type=cache,target=/var/cache/apk apk add tzdata\nRUN ["adduser", "-D", "web"]\nRUN mkdir -p /srv\nRUN chown web /srv\nRUN date'),
      findings: [{ line: 2, column: 1, message: '6 consecutive RUN instructions (lines 2–7)' }],
    },
    {
      name: 'a cd in the last RUN is harmless',
      text: nginx('RUN apk add --no-cache curl\nRUN adduser -D web\nRUN mkdir -p /srv/logs\nRUN chown -R web:web /srv\nRUN cd /srv && touch logs/access.log'),
      findings: [{ line: 2, column: 1 }],
      output: nginx('RUN apk add --no-cache curl && \\\n    adduser -D web && \\\n    mkdir -p /srv/logs && \\\n    chown -R web:web /srv && \\\n    cd /srv && touch logs/access.log'),
    },
  ],
});
