package code

import (
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// The Vercel AI SDK's Amazon Bedrock provider (@ai-sdk/amazon-bedrock)
// calls the Bedrock runtime API itself, over HTTPS with SigV4, not
// through the AWS SDK: a language model's generate calls POST
// /model/{id}/converse and its stream calls /converse-stream
// (packages/amazon-bedrock/src/bedrock-chat-language-model.ts, doGenerate
// and doStream, in vercel/ai), which IAM authorizes as
// bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream; an
// embedding or image model POSTs /model/{id}/invoke (InvokeModel). The
// provider is createAmazonBedrock({ region, credentialProvider,
// accessKeyId, secretAccessKey, apiKey }) or the default instance
// bedrock; a model is provider(id), provider.languageModel(id),
// provider.embedding(id) (textEmbeddingModel, textEmbedding) or
// provider.image(id) (imageModel).
//
// Its credentials are not the SDK's default chain
// (bedrock-provider.ts): a credentialProvider when given (for the task
// role, fromNodeProviderChain() or fromContainerMetadata()), else
// accessKeyId and secretAccessKey, else the environment's
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which a task does not
// have unless its definition sets them; an apiKey (or
// AWS_BEARER_TOKEN_BEDROCK) is a Bedrock API key, not the task role.
//
// A model the code makes is a model it invokes (generateText): Converse;
// streamText and streamObject of a model the reader can name also
// stream (ConverseStream).

const aiBedrock = "@ai-sdk/amazon-bedrock"

// aiBedrockCall is a call of the Bedrock provider package's names.
func (s *service) aiBedrockCall(sym string, n *node, e *env, emit bool) val {
	switch sym {
	case "createAmazonBedrock":
		return val{kind: vHandle, h: s.aiProvider(first(n.args), n, e, emit)}
	case "bedrock":
		return s.aiModel(&handle{kind: hAIProvider, svc: "bedrock-runtime", cr: s.aiDefaultCreds(n, e, emit)}, "languageModel", n, e, emit)
	}
	if rest, ok := strings.CutPrefix(sym, "bedrock."); ok {
		return s.aiModel(&handle{kind: hAIProvider, svc: "bedrock-runtime", cr: s.aiDefaultCreds(n, e, emit)}, rest, n, e, emit)
	}
	return val{}
}

// aiProvider reads createAmazonBedrock's settings: the region and the
// credentials.
func (s *service) aiProvider(opts *node, n *node, e *env, emit bool) *handle {
	h := &handle{kind: hAIProvider, svc: "bedrock-runtime"}
	d := s.eval(opts, s.deeper(e))
	if d.kind != vDict {
		h.cr = s.aiDefaultCreds(n, e, emit)
		return h
	}
	if k, ok := s.get(d.dict, "region"); ok {
		if a, ok := s.str(k.val, s.deeper(k.e)).arg(); ok {
			h.region = a
		}
	}
	if k, ok := s.get(d.dict, "apiKey"); ok {
		if v, known := s.str(k.val, s.deeper(k.e)).raw(); !known || v != "" {
			// A Bedrock API key (an empty one only suppresses
			// AWS_BEARER_TOKEN_BEDROCK).
			h.cr = creds{keys: "apiKey (a Bedrock API key)"}
			return h
		}
	}
	if k, ok := s.get(d.dict, "credentialProvider"); ok {
		h.cr = s.clientCreds(s.credsOf(k.val, k.e), "Bedrock (AI SDK)", n, e, emit)
		return h
	}
	if k, ok := s.get(d.dict, "accessKeyId"); ok {
		h.cr = s.clientCreds(s.credsOf(k.val, k.e), "Bedrock (AI SDK)", n, e, emit)
		return h
	}
	h.cr = s.aiDefaultCreds(n, e, emit)
	return h
}

// aiDefaultCreds are the provider's credentials without a
// credentialProvider or keys: the environment's access keys, which a
// task has only when its definition sets them; said at the provider.
func (s *service) aiDefaultCreds(n *node, e *env, emit bool) creds {
	if emit {
		s.r.diags = append(s.r.diags, source.Diagnostic{File: e.m.file, Pos: source.Pos{Line: n.line, Col: n.col}, Severity: source.Warning,
			Message: "the AI SDK's Bedrock provider without a credentialProvider signs with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment, not with the task role: give it credentialProvider: fromNodeProviderChain() for the task role's permissions below",
			Check:   "sdk-credentials"})
	}
	return creds{keys: envMark + "AWS_ACCESS_KEY_ID" + envMark}
}

// aiModel is a model the provider makes (method "" for provider(id)):
// its invocation is emitted where it is made.
func (s *service) aiModel(p *handle, method string, n *node, e *env, emit bool) val {
	op := ""
	switch method {
	case "", "languageModel", "chat":
		op = "Converse"
	case "embedding", "textEmbeddingModel", "textEmbedding", "embeddingModel", "image", "imageModel":
		op = "InvokeModel"
	default:
		return val{} // tools, and what else the provider holds
	}
	a := args{}
	s.setArg(a, "ModelId", first(n.args), e)
	h := &handle{kind: hModel, svc: "bedrock-runtime", op: op, args: a, region: p.region, cr: p.cr, ai: true}
	if emit {
		s.emitCall(h, op, n, e, a, "AI SDK Bedrock model")
	}
	return val{kind: vHandle, h: h}
}

// aiCall is a call of the AI SDK core ("ai"): streamText and
// streamObject of a Bedrock model also call ConverseStream.
func (s *service) aiCall(sym string, n *node, e *env, emit bool) val {
	switch sym {
	case "streamText", "streamObject", "streamUI":
	default:
		return val{}
	}
	if !emit {
		return val{}
	}
	d := s.eval(first(n.args), s.deeper(e))
	if d.kind != vDict {
		return val{}
	}
	k, ok := s.get(d.dict, "model")
	if !ok {
		return val{}
	}
	m := s.eval(k.val, s.deeper(k.e))
	if m.kind == vHandle && m.h.kind == hModel && m.h.ai && m.h.op == "Converse" {
		s.emitCall(m.h, "ConverseStream", n, e, m.h.args, "AI SDK "+sym)
		return val{}
	}
	if m.kind == vNone {
		s.aiStreams = append(s.aiStreams, located{n, e})
	}
	return val{}
}

// aiStreamDiagnostics says, when the service makes AI SDK Bedrock
// models, which streamText calls take a model the reader cannot name: a
// Bedrock model streamed there also needs
// bedrock:InvokeModelWithResponseStream.
func (s *service) aiStreamDiagnostics() {
	if !s.aiModels {
		return
	}
	for _, l := range s.aiStreams {
		s.notUnderstood(l.n, l.e, "a streamed AI SDK model the reader cannot name: a Bedrock model (the code makes some) also needs bedrock:InvokeModelWithResponseStream here")
	}
}
