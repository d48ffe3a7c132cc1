package code

import "strings"

// LangChain's Bedrock models call Amazon Bedrock with the task's
// credentials through the SDK they wrap: ChatBedrockConverse the Converse
// API, ChatBedrock, BedrockLLM and BedrockEmbeddings InvokeModel, and
// init_chat_model / initChatModel whichever its provider names. A model
// the code makes is a model it invokes; its streaming methods call the
// streaming operations.

// langchainPackage reports the LangChain packages whose Bedrock models
// the reader knows.
func langchainPackage(mod string) bool {
	if !strings.Contains(mod, "langchain") {
		return false
	}
	for _, p := range []string{"langchain_aws", "langchain_community", "langchain.chat_models", "langchain.embeddings", "langchain.llms",
		"@langchain/aws", "@langchain/community", "langchain/chat_models/universal"} {
		if mod == p || strings.HasPrefix(mod, p+".") || strings.HasPrefix(mod, p+"/") {
			return true
		}
	}
	return false
}

// bedrockModels are the LangChain classes that call Bedrock, with the
// operation each model invocation is.
var bedrockModels = map[string]string{
	"ChatBedrockConverse": "Converse", "ChatBedrock": "InvokeModel", "BedrockChat": "InvokeModel",
	"BedrockLLM": "InvokeModel", "Bedrock": "InvokeModel", "BedrockEmbeddings": "InvokeModel",
}

// langchainCall is a call of a LangChain name: a Bedrock model made.
func (s *service) langchainCall(sym string, n *node, e *env, emit bool) val {
	last := sym[strings.LastIndex(sym, ".")+1:]
	kw := s.langchainArgs(n, e)
	op, ok := bedrockModels[last]
	model := kw["model_id"]
	if model == nil {
		model = kw["model"]
	}
	if last == "init_chat_model" || last == "initChatModel" {
		if model == nil && len(n.args) > 0 {
			if d := s.eval(n.args[0], s.deeper(e)); d.kind != vDict {
				model = n.args[0]
			}
		}
		provider := ""
		if p := kw["model_provider"]; p != nil {
			pv := s.str(p, e)
			v, known := pv.raw()
			if !known {
				// The provider from the environment: the task
				// definition's value decides the operation (Needs).
				a, fromEnv := pv.arg()
				if !fromEnv || strings.Contains(a, "*") {
					if emit {
						s.notUnderstood(n, e, "a LangChain chat model of a provider the code computes")
					}
					return val{}
				}
				h := &handle{kind: hModel, svc: "bedrock-runtime", args: args{}}
				s.modelArgs(h, model, kw, e)
				if emit {
					s.emitCall(h, "", n, e, h.args, "LangChain "+last)
					s.r.calls[len(s.r.calls)-1].provider = a
				}
				return val{kind: vHandle, h: h}
			}
			provider = v
		} else if model != nil {
			if m, known := s.str(model, e).raw(); known {
				if p, _, cut := strings.Cut(m, ":"); cut && !strings.Contains(p, ".") {
					provider = p
				}
			}
		}
		op, ok = providerOperation(provider)
		if provider == "" && emit {
			s.notUnderstood(n, e, "a LangChain chat model whose provider the code does not name (a Bedrock provider calls Amazon Bedrock)")
		}
	}
	if !ok {
		return val{}
	}
	h := &handle{kind: hModel, svc: "bedrock-runtime", op: op, args: args{}}
	s.modelArgs(h, model, kw, e)
	if emit {
		s.emitCall(h, op, n, e, h.args, "LangChain "+last)
	}
	return val{kind: vHandle, h: h}
}

// modelArgs reads the model id (without a provider: prefix) and the
// region of a LangChain model.
func (s *service) modelArgs(h *handle, model *node, kw map[string]*node, e *env) {
	if model != nil {
		v := s.str(model, e)
		if m, known := v.raw(); known {
			if p, rest, cut := strings.Cut(m, ":"); cut && (p == "bedrock" || p == "bedrock_converse") {
				v = lit(rest)
			}
		}
		h.args.set("ModelId", v)
	}
	for _, name := range []string{"region_name", "region"} {
		if r := kw[name]; r != nil {
			if a, ok := s.str(r, e).arg(); ok {
				h.region = a
			}
		}
	}
}

// providerOperation is the Bedrock operation of a LangChain model
// provider; ok is false for a provider that is not Bedrock's.
func providerOperation(provider string) (string, bool) {
	switch provider {
	case "bedrock_converse":
		return "Converse", true
	case "bedrock":
		return "InvokeModel", true
	}
	return "", false
}

// langchainArgs are a LangChain constructor's keyword arguments: Python
// keywords and **dicts, a JavaScript options object.
func (s *service) langchainArgs(n *node, e *env) map[string]*node {
	out := map[string]*node{}
	for _, a := range n.args {
		if d := s.eval(a, s.deeper(e)); d.kind == vDict {
			es, _ := s.entries(d.dict)
			for _, k := range es {
				out[k.key] = k.val
			}
		}
	}
	for _, k := range n.kw {
		if k.key == "**" {
			if d := s.eval(k.val, s.deeper(e)); d.kind == vDict {
				es, _ := s.entries(d.dict)
				for _, en := range es {
					out[en.key] = en.val
				}
			}
			continue
		}
		out[k.key] = k.val
	}
	return out
}

// modelCall is a method of a LangChain Bedrock model: the streaming
// methods call the streaming operation; invoking it was emitted where the
// model is made.
func (s *service) modelCall(h *handle, m string, n *node, e *env, emit bool) val {
	switch m {
	case "stream", "astream", "astream_events", "streamEvents", "streamLog":
		if h.op == "" {
			return val{} // the provider is the environment's: not known here
		}
		op := "InvokeModelWithResponseStream"
		if h.op == "Converse" {
			op = "ConverseStream"
		}
		if emit {
			s.emitCall(h, op, n, e, h.args, "LangChain "+m)
		}
	case "bind_tools", "with_structured_output", "bind", "with_config", "with_retry", "bindTools", "withStructuredOutput", "withConfig", "withRetry":
		return val{kind: vHandle, h: h}
	}
	return val{}
}
