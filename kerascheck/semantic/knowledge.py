"""What kerascheck knows about Keras, as data.

Every rule asks this module, never a list of its own, so that a new Keras layer or a
newly measured behaviour is one edit here. Names are the canonical ``keras.``
spellings produced by :func:`kerascheck.semantic.names.canonical_keras_name`; layer
sets hold bare class names (``"Dense"``), because Keras exposes the same class under
many module paths.
"""
from __future__ import annotations

# Module prefixes that are Keras under another name, mapped to the canonical `keras`.
# Longest prefixes first: the first match wins.
KERAS_ALIASES: tuple[tuple[str, str], ...] = (
    ("tensorflow.compat.v1.keras", "keras"),
    ("tensorflow.compat.v2.keras", "keras"),
    ("tensorflow.python.keras", "keras"),
    ("keras._tf_keras.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("tf_keras", "keras"),
    ("keras_core", "keras"),
    ("keras", "keras"),
)

# The top-level packages that are Keras or TensorFlow themselves: an absolute import that
# starts with one is the library, never a sibling module of the project (Python 3 imports
# are absolute), and only they (or a project module that re-exports them) can hand out Keras.
KERAS_TOP_LEVEL_PACKAGES = frozenset({"keras", "tensorflow", "tf_keras", "keras_core"})

# Which spelling a module uses, for messages and for KC403.
FLAVOR_STANDALONE = "keras"
FLAVOR_TF = "tf.keras"
FLAVOR_TF_KERAS = "tf_keras"

# Base classes that make a class a Keras Layer / Model (canonical names).
LAYER_BASES = frozenset(
    {
        "keras.Layer",
        "keras.layers.Layer",
        "keras.engine.base_layer.Layer",
        "keras.engine.topology.Layer",
        "keras.engine.Layer",
        "keras.src.layers.Layer",
        "keras.src.layers.layer.Layer",
        "keras.src.engine.base_layer.Layer",
        "keras.layers.Wrapper",
        "keras.layers.AbstractRNNCell",
    }
)
MODEL_BASES = frozenset(
    {
        "keras.Model",
        "keras.models.Model",
        "keras.Sequential",
        "keras.models.Sequential",
        "keras.engine.training.Model",
        "keras.engine.functional.Functional",
        "keras.engine.sequential.Sequential",
        "keras.src.models.Model",
        "keras.src.models.model.Model",
        "keras.src.models.functional.Functional",
        "keras.src.models.sequential.Sequential",
        "keras.src.engine.training.Model",
    }
)

# Built-in layers (keras.layers on Keras 3.15, plus the Keras 2 ones Keras 3 removed).
BUILTIN_LAYERS = frozenset(
    """
    Activation ActivityRegularization AdaptiveAveragePooling1D AdaptiveAveragePooling2D
    AdaptiveAveragePooling3D AdaptiveMaxPooling1D AdaptiveMaxPooling2D AdaptiveMaxPooling3D
    Add AdditiveAttention AlphaDropout Attention AugMix AutoContrast Average
    AveragePooling1D AveragePooling2D AveragePooling3D AvgPool1D AvgPool2D AvgPool3D
    BatchNormalization Bidirectional CategoryEncoding CenterCrop Concatenate
    ContrastLimitedAdaptiveHistogramEqualization Conv1D Conv1DTranspose Conv2D
    Conv2DTranspose Conv3D Conv3DTranspose ConvLSTM1D ConvLSTM2D ConvLSTM3D Convolution1D
    Convolution1DTranspose Convolution2D Convolution2DTranspose Convolution3D
    Convolution3DTranspose Cropping1D Cropping2D Cropping3D CutMix Dense DepthwiseConv1D
    DepthwiseConv2D Discretization Dot Dropout ELU EinsumDense Embedding Equalization
    Flatten FlaxLayer GRU GRUCell GaussianDropout GaussianNoise GlobalAveragePooling1D
    GlobalAveragePooling2D GlobalAveragePooling3D GlobalAvgPool1D GlobalAvgPool2D
    GlobalAvgPool3D GlobalMaxPool1D GlobalMaxPool2D GlobalMaxPool3D GlobalMaxPooling1D
    GlobalMaxPooling2D GlobalMaxPooling3D GroupNormalization GroupQueryAttention
    HashedCrossing Hashing Identity InputLayer IntegerLookup JaxLayer LSTM LSTMCell
    Lambda LayerNormalization LeakyReLU Masking MaxNumBoundingBoxes MaxPool1D MaxPool2D
    MaxPool3D MaxPooling1D MaxPooling2D MaxPooling3D Maximum MelSpectrogram Minimum MixUp
    MultiHeadAttention Multiply Normalization PReLU Permute Pipeline RMSNormalization RNN
    RandAugment RandomBrightness RandomColorDegeneration RandomColorJitter RandomContrast
    RandomCrop RandomElasticTransform RandomErasing RandomFlip RandomGaussianBlur
    RandomGrayscale RandomHue RandomInvert RandomPerspective RandomPosterization
    RandomRotation RandomSaturation RandomSharpness RandomShear RandomTranslation
    RandomZoom ReLU RepeatVector Rescaling Reshape Resizing ReversibleEmbedding
    STFTSpectrogram SeparableConv1D SeparableConv2D SeparableConvolution1D
    SeparableConvolution2D SimpleRNN SimpleRNNCell Softmax Solarization SpatialDropout1D
    SpatialDropout2D SpatialDropout3D SpectralNormalization StackedRNNCells StringLookup
    Subtract TFSMLayer TextVectorization TimeDistributed TorchModuleWrapper
    UnitNormalization UpSampling1D UpSampling2D UpSampling3D Wrapper ZeroPadding1D
    ZeroPadding2D ZeroPadding3D
    AbstractRNNCell DenseFeatures LocallyConnected1D LocallyConnected2D RandomHeight
    RandomWidth ThresholdedReLU CuDNNLSTM CuDNNGRU
    """.split()
)

# Layers that own weights once built (KC103: constructing one per call leaks state).
WEIGHT_OWNING_LAYERS = frozenset(
    """
    Dense EinsumDense Conv1D Conv1DTranspose Conv2D Conv2DTranspose Conv3D Conv3DTranspose
    Convolution1D Convolution1DTranspose Convolution2D Convolution2DTranspose Convolution3D
    Convolution3DTranspose DepthwiseConv1D DepthwiseConv2D SeparableConv1D SeparableConv2D
    SeparableConvolution1D SeparableConvolution2D ConvLSTM1D ConvLSTM2D ConvLSTM3D
    Embedding ReversibleEmbedding BatchNormalization LayerNormalization GroupNormalization
    RMSNormalization SpectralNormalization Normalization MultiHeadAttention
    GroupQueryAttention LSTM GRU SimpleRNN RNN LSTMCell GRUCell SimpleRNNCell
    StackedRNNCells Bidirectional TimeDistributed PReLU LocallyConnected1D
    LocallyConnected2D CuDNNLSTM CuDNNGRU
    """.split()
)

# Built-in layers whose call() takes `training` on Keras 3 but not on Keras 2 (KC204: a
# `.call(x, training)` raises TypeError on Keras 2 only; measured with Dense, the others
# from the call() signatures of Keras 3.15 and tf_keras 2.21).
TRAINING_ARG_KERAS3_ONLY = frozenset({"Dense", "EinsumDense", "CenterCrop", "Resizing"})

# Layers whose behaviour depends on `training` (KC207, KC210). The catalog's list.
TRAINING_SENSITIVE_LAYERS = frozenset(
    """
    Dropout SpatialDropout1D SpatialDropout2D SpatialDropout3D AlphaDropout
    GaussianDropout GaussianNoise BatchNormalization
    """.split()
)

# Layers that produce a mask (Embedding only with mask_zero=True; see KC205).
MASK_PRODUCING_LAYERS = frozenset({"Embedding", "Masking"})

# Layers that consume an incoming mask themselves (Keras 3 propagates it to them).
MASK_CONSUMING_LAYERS = frozenset(
    """
    LSTM GRU SimpleRNN RNN Bidirectional ConvLSTM1D ConvLSTM2D ConvLSTM3D TimeDistributed
    GlobalAveragePooling1D GlobalAvgPool1D GlobalMaxPooling1D GlobalMaxPool1D
    MultiHeadAttention GroupQueryAttention Attention AdditiveAttention
    """.split()
)

# Merge layers: they take a list of tensors, so they cannot sit inside a plain stack.
MERGE_LAYERS = frozenset(
    "Concatenate Add Subtract Multiply Average Maximum Minimum Dot".split()
)
# Layers whose call takes two tensors (query, value).
TWO_INPUT_LAYERS = frozenset({"Attention", "AdditiveAttention"})

# Attributes that Layer.__init__ assigns: set before super().__init__() they are reset.
LAYER_INIT_ATTRIBUTES = frozenset(
    """
    supports_masking trainable built autocast input_spec activity_regularizer
    dtype_policy supports_jit
    """.split()
)

# Public layer attributes whose misspelling is a silent no-op (KC209). Not `built`: Keras
# sets it itself after build() runs, so a misspelled `self.bulit = True` changes nothing
# (measured on Keras 3 and tf_keras: build() still runs once).
MISSPELLABLE_ATTRIBUTES = ("supports_masking", "trainable", "input_spec")
MISSPELLING_VARIANTS = frozenset({"supports_mask", "support_mask"})

# Raw dropout functions (canonical names): applied in call() they need a training gate.
DROPOUT_FUNCTIONS = frozenset(
    {
        "tensorflow.nn.dropout",
        "tensorflow.compat.v1.nn.dropout",
        "tensorflow.compat.v2.nn.dropout",
        "keras.random.dropout",
        "keras.backend.dropout",
    }
)

# Functions that choose between a training and an inference branch.
TRAINING_SWITCHES = frozenset(
    {
        "tensorflow.cond",
        "tensorflow.compat.v1.cond",
        "keras.ops.cond",
        "keras.backend.in_train_phase",
        "keras.backend.in_test_phase",
        "keras.utils.tf_utils.smart_cond",
        "keras.src.utils.tf_utils.smart_cond",
        "tensorflow.__internal__.smart_cond.smart_cond",
        "tensorflow.python.framework.smart_cond.smart_cond",
    }
)

# Variable constructors (canonical names).
TF_VARIABLE = frozenset(
    {"tensorflow.Variable", "tensorflow.compat.v1.Variable", "tensorflow.compat.v2.Variable"}
)
KERAS_VARIABLE = frozenset({"keras.Variable", "keras.backend.Variable", "keras.variables.Variable"})

# Functions and operators that multiply inputs by a weight (KC102).
MATMUL_FUNCTIONS = frozenset(
    """
    matmul tensordot einsum dot batch_dot conv1d conv2d conv3d conv conv_transpose
    conv1d_transpose conv2d_transpose conv3d_transpose depthwise_conv2d depthwise_conv
    separable_conv2d separable_conv convolution mm linear
    """.split()
)
# Functions that use a weight as a lookup table (KC102's trap).
LOOKUP_FUNCTIONS = frozenset({"gather", "embedding_lookup", "take", "gather_nd", "take_along_axis"})

# What each LAYER_INIT_ATTRIBUTES entry reads back as when it was set before
# super().__init__() (KC105), measured on Keras 3.15 with a plain Layer subclass.
# None: assigning it before the super call raises instead.
LAYER_INIT_RESET_VALUES = {
    "supports_masking": "False",
    "trainable": "True (or the trainable= argument)",
    "built": "False",
    "autocast": "True (or the autocast= argument)",
    "input_spec": "None",
    "activity_regularizer": "None (or the activity_regularizer= argument)",
    "supports_jit": "True",
    "dtype_policy": None,  # AttributeError: no attribute '_dtype_policy'
}
# The attributes tf_keras 2.21's Layer.__init__ does not set (measured: set before the
# super call, they keep their value there). Its `dtype_policy` is a read-only property.
LAYER_INIT_KEPT_ON_KERAS2 = frozenset({"autocast", "supports_jit"})
# The attributes Keras 2.11-and-older's Layer.__init__ may or may not set: tf.keras 2.x's
# pops `activity_regularizer` and has a `dtype_policy` property, standalone keras <= 2.3's
# sets neither (read from its source; a keras-contrib layer relies on it). The 2.11 target
# covers both, and neither can be installed here to measure, so KC105 stays silent there.
LAYER_INIT_UNSURE_ON_KERAS2_OLD = frozenset({"activity_regularizer", "dtype_policy"})
# Layer.__init__ keywords that restore the attribute of the same name (KC105): passing
# `trainable=trainable` to the super call keeps the value.
LAYER_INIT_KEYWORDS = {
    "trainable": "trainable",
    "autocast": "autocast",
    "activity_regularizer": "activity_regularizer",
    "dtype_policy": "dtype",
}

# Raw dropout ops KC201 looks for: DROPOUT_FUNCTIONS plus the stateless TF variant.
RAW_DROPOUT_FUNCTIONS = DROPOUT_FUNCTIONS | frozenset(
    {"tensorflow.nn.experimental.stateless_dropout", "keras.src.random.dropout"}
)
# Bare function names that pick a training branch whatever module they come from (user
# code copies Keras 2's private `smart_cond`); `in_*_phase` read the learning phase
# themselves, so they gate even without a `training` argument.
TRAINING_SWITCH_NAMES = frozenset({"smart_cond", "in_train_phase", "in_test_phase"})
LEARNING_PHASE_SWITCH_NAMES = frozenset({"in_train_phase", "in_test_phase"})
# Names that read the global learning phase (Keras 2): a test on them is a training test.
LEARNING_PHASE_NAMES = frozenset({"learning_phase"})

# Callables (canonical names, or prefixes ending in ".") that return a layer or model,
# besides the layer classes themselves: calling their result is a layer call (KC203).
LAYER_FACTORIES = frozenset(
    {
        "keras.Model",
        "keras.Sequential",
        "keras.models.Model",
        "keras.models.Sequential",
        "keras.models.load_model",
        "keras.models.clone_model",
        "keras.models.model_from_json",
        "keras.saving.load_model",
        "keras.layers.TFSMLayer",
        "tensorflow_hub.KerasLayer",
        "keras.applications.",
        "keras_hub.models.",
        "keras_nlp.models.",
        "keras_cv.models.",
    }
)
# Attributes and methods that hand out a model's layers (`model.layers[0]`, `get_layer`).
LAYER_ACCESSORS = frozenset({"layers", "get_layer", "submodules", "_layers"})
# Model bases that come with a working `call` (KC206: a subclass need not define one).
MODEL_BASES_WITH_CALL = frozenset(
    {
        "keras.Sequential",
        "keras.models.Sequential",
        "keras.engine.functional.Functional",
        "keras.engine.sequential.Sequential",
        "keras.src.models.functional.Functional",
        "keras.src.models.sequential.Sequential",
    }
)
# Keras namespaces whose objects have a `call` method but are not layers (a Loss's
# `call` returns the unreduced loss on purpose): `obj.call(...)` on them is not KC204.
NON_LAYER_CALL_PREFIXES = (
    "keras.losses.",
    "keras.metrics.",
    "keras.optimizers.",
    "keras.callbacks.",
    "keras.regularizers.",
    "keras.initializers.",
    "keras.constraints.",
)

# ---- KC302/KC303: whether a module's classes can ever be saved --------------------------
# Fragments of a called name (lower-cased, its last part) that may save, reload or
# serialize a model: save, load_model, get_config, from_config, serialize_keras_object,
# to_json, clone_model (from_config(get_config()) for a subclass), ModelCheckpoint,
# export, pickle.dump, copy.deepcopy, a project's run_serialization_test or
# assert_roundtrip. Broad on purpose: a module that calls any of them keeps its findings.
# Not "config" or "copy" alone: a test building a config object (`NAMConfig(...)`) or
# copying an array (`np.copy`) saves nothing (seen on an unseen repository).
SERIALIZING_CALL_FRAGMENTS = (
    "save", "load", "serializ", "get_config", "from_config", "json", "yaml", "clone", "pickle",
    "dump", "deepcopy", "checkpoint", "export", "roundtrip", "round_trip",
)
# Calls among those that need no config: the weights alone are written and read.
WEIGHTS_ONLY_CALLS = frozenset({"save_weights", "load_weights"})

# ---- KC4xx: building models ------------------------------------------------------------
# The Sequential class (canonical names).
SEQUENTIAL_CLASSES = frozenset(
    {
        "keras.Sequential",
        "keras.models.Sequential",
        "keras.engine.sequential.Sequential",
        "keras.src.models.Sequential",
        "keras.src.models.sequential.Sequential",
        "keras.src.engine.sequential.Sequential",
    }
)
# Model methods that feed their first argument (or `x=`) to the model's inputs (KC401).
MODEL_INPUT_METHODS = frozenset(
    {"fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch", "predict_step"}
)
# Built-in layers whose input and output structure is whatever the user's code makes it:
# they may take a list (`Lambda(lambda xs: xs[0] + xs[1])`) or return one, so a merge
# layer after them, or a list fed to a Sequential that starts with them, can be legal.
ANY_STRUCTURE_LAYERS = frozenset(
    {"Lambda", "Identity", "TFSMLayer", "JaxLayer", "FlaxLayer", "TorchModuleWrapper", "Pipeline",
     "HashedCrossing"}
)
# Constructor keywords that make a built-in layer return a list instead of one tensor.
LIST_OUTPUT_KEYWORDS = frozenset({"return_state"})
# The Input function (canonical names); its first positional argument is `shape`.
INPUT_FUNCTIONS = frozenset(
    {
        "keras.Input",
        "keras.layers.Input",
        "keras.engine.input_layer.Input",
        "keras.src.layers.Input",
        "keras.src.layers.core.input_layer.Input",
        "keras.src.engine.input_layer.Input",
    }
)
# Shape arguments that need a tuple (KC402), by what takes them. InputLayer's first
# positional parameter is `shape` on Keras 3 and `input_shape` on Keras 2.
INPUT_SHAPE_KEYWORDS = frozenset({"shape", "batch_shape"})
INPUT_LAYER_SHAPE_KEYWORDS = frozenset({"shape", "batch_shape", "input_shape", "batch_input_shape"})
LAYER_SHAPE_KEYWORDS = frozenset({"input_shape", "batch_input_shape"})
# Private Keras module prefixes (KC404): the internal trees of Keras 3 and Keras 2.13+
# (`keras.src`), of Keras 2.12 and older (`keras.engine`; `tf_keras.engine`, which no
# tf_keras has, is the same mistake), the package behind tf.keras in Keras 3
# (`keras._tf_keras`), TensorFlow's frozen copy of Keras 2.6 (`tensorflow.python.keras`)
# and tf_keras's internal tree.
PRIVATE_KERAS_MODULES = (
    "keras.src",
    "keras.engine",
    "tf_keras.engine",
    "keras._tf_keras",
    "tensorflow.python.keras",
    "tf_keras.src",
)
# Which `keras.src` modules exist on which Keras (KC404), relative to `keras.src`: the
# modules of tf_keras 2.21's `tf_keras.src` (the tree that keras 2.13-2.15 shipped as
# `keras.src`) that Keras 3.15.1's `keras.src` lacks, and the reverse, test modules left
# out. An entry covers the module and everything below it; an entry ending in ".*" covers
# only what is below (the module exists on both Kerases, a plain module on one and a
# package on the other). Read from the installed packages' files; tests/test_private_homes.py
# re-derives both sets and compares.
KERAS2_ONLY_SRC = frozenset(
    {
        "applications.regnet", "applications.resnet_rs", "backend_config", "callbacks_v1",
        "distribute", "dtensor", "engine", "estimator", "export.export_lib", "feature_column",
        "initializers.initializers", "initializers.initializers_v1", "layers.activation",
        "layers.attention.base_dense_attention", "layers.core.activation", "layers.core.tf_op_layer",
        "layers.experimental", "layers.kernelized", "layers.locally_connected", "layers.noise",
        "layers.normalization.batch_normalization_v1", "layers.pooling.base_global_pooling1d",
        "layers.pooling.base_global_pooling2d", "layers.pooling.base_global_pooling3d",
        "layers.pooling.base_pooling1d", "layers.pooling.base_pooling2d",
        "layers.pooling.base_pooling3d", "layers.preprocessing.preprocessing_stage",
        "layers.preprocessing.preprocessing_test_utils", "layers.preprocessing.preprocessing_utils",
        "layers.regularization.spatial_dropout1d", "layers.regularization.spatial_dropout2d",
        "layers.regularization.spatial_dropout3d", "layers.rnn.abstract_rnn_cell",
        "layers.rnn.base_conv_lstm", "layers.rnn.base_conv_rnn", "layers.rnn.base_cudnn_rnn",
        "layers.rnn.base_rnn", "layers.rnn.base_wrapper", "layers.rnn.cell_wrappers",
        "layers.rnn.cudnn_gru", "layers.rnn.cudnn_lstm", "layers.rnn.dropout_rnn_cell_mixin",
        "layers.rnn.gru_lstm_utils", "layers.rnn.gru_v1", "layers.rnn.legacy_cell_wrappers",
        "layers.rnn.legacy_cells", "layers.rnn.lstm_v1", "layers.rnn.rnn_utils",
        "layers.serialization", "legacy_tf_layers", "metrics.base_metric", "metrics.py_metric",
        "mixed_precision", "models.sharpness_aware_minimization", "optimizers.legacy",
        "optimizers.legacy_learning_rate_decay", "optimizers.optimizer_v1", "optimizers.utils",
        "premade_models", "preprocessing", "saving.legacy", "saving.pickle_utils", "testing_infra",
        "utils.audio_dataset", "utils.control_flow_util", "utils.conv_utils", "utils.data_utils",
        "utils.dataset_creator", "utils.feature_space", "utils.generic_utils", "utils.image_dataset",
        "utils.keras_logging", "utils.kernelized_utils", "utils.kpl_test_utils", "utils.layer_utils",
        "utils.legacy", "utils.losses_utils", "utils.metrics_utils", "utils.mode_keys",
        "utils.np_utils", "utils.object_identity", "utils.sidecar_evaluator",
        "utils.steps_per_execution_tuning", "utils.text_dataset", "utils.tf_contextlib",
        "utils.tf_inspect", "utils.timed_threads", "utils.timeseries_dataset", "utils.version_utils",
        "utils.vis_utils",
    }
)
KERAS3_ONLY_SRC = frozenset(
    {
        "activations.*", "api_export", "backend.*", "callbacks.*", "constraints.*",
        "datasets.california_housing", "datasets.npz_utils", "distillation", "distribution",
        "dtype_policies", "export.export_utils", "export.litert",
        "export.neptune_model_export_archive", "export.onnx", "export.openvino", "export.saved_model",
        "export.saved_model_export_archive", "export.tf2onnx_lib", "export.tfsm_layer", "export.torch",
        "initializers.constant_initializers", "initializers.initializer",
        "initializers.random_initializers", "layers.activations",
        "layers.attention.grouped_query_attention", "layers.convolutional.base_conv_transpose",
        "layers.core.input_layer", "layers.core.reversible_embedding", "layers.core.wrapper",
        "layers.input_spec", "layers.layer", "layers.normalization.rms_normalization",
        "layers.pooling.adaptive_average_pooling1d", "layers.pooling.adaptive_average_pooling2d",
        "layers.pooling.adaptive_average_pooling3d", "layers.pooling.adaptive_max_pooling1d",
        "layers.pooling.adaptive_max_pooling2d", "layers.pooling.adaptive_max_pooling3d",
        "layers.pooling.base_adaptive_pooling", "layers.pooling.base_global_pooling",
        "layers.pooling.base_pooling", "layers.preprocessing.data_layer",
        "layers.preprocessing.feature_space", "layers.preprocessing.image_preprocessing.*",
        "layers.preprocessing.mel_spectrogram", "layers.preprocessing.pipeline",
        "layers.preprocessing.rescaling", "layers.preprocessing.stft_spectrogram",
        "layers.regularization.spatial_dropout", "layers.rnn.conv_lstm", "layers.rnn.dropout_rnn_cell",
        "layers.rnn.rnn", "legacy", "losses.*", "metrics.correlation_metrics", "metrics.metric",
        "metrics.metrics_utils", "metrics.reduction_metrics", "models.functional", "models.model",
        "models.sequential", "models.variable_mapping", "ops", "optimizers.base_optimizer",
        "optimizers.lamb", "optimizers.loss_scale_optimizer", "optimizers.multi_optimizer",
        "optimizers.muon", "optimizers.schedule_free_adamw", "quantizers", "random", "regularizers.*",
        "saving.file_editor", "saving.keras_saveable", "saving.orbax_util", "testing", "trainers",
        "tree", "utils.argument_validation", "utils.audio_dataset_utils", "utils.backend_utils",
        "utils.code_stats", "utils.config", "utils.dtype_utils", "utils.file_utils",
        "utils.grain_utils", "utils.image_dataset_utils", "utils.jax_layer", "utils.jax_utils",
        "utils.model_visualization", "utils.module_utils", "utils.naming", "utils.numerical_utils",
        "utils.progbar", "utils.python_utils", "utils.rng_utils", "utils.sequence_utils",
        "utils.summary_utils", "utils.text_dataset_utils", "utils.timeseries_dataset_utils",
        "utils.torch_utils", "utils.tracking", "version", "visualization", "wrappers",
    }
)
# Where the public API exports what code takes from Keras internals (KC404), by the name
# imported: (home on Keras 3, home on Keras 2 spelled `keras.<path>`, as keras 2.x and
# tf_keras both export it), None where that Keras exports none. Verified by importing
# Keras 3.15.1 and tf_keras 2.21 (tests/test_private_homes.py): each home is the very
# object the internal module holds, and a None means that no public module of that Keras
# holds the object or any attribute of that name.
PUBLIC_HOMES: dict = {
    "Layer": ("keras.layers.Layer", "keras.layers.Layer"),
    "InputSpec": ("keras.layers.InputSpec", "keras.layers.InputSpec"),
    "Model": ("keras.Model", "keras.Model"),
    "Sequential": ("keras.Sequential", "keras.Sequential"),
    "Functional": (None, None),
    "Input": ("keras.Input", "keras.Input"),
    "InputLayer": ("keras.layers.InputLayer", "keras.layers.InputLayer"),
    "KerasTensor": ("keras.KerasTensor", None),
    "Node": (None, None),
    "get_source_inputs": ("keras.utils.get_source_inputs", "keras.utils.get_source_inputs"),
    "get_custom_objects": ("keras.saving.get_custom_objects", "keras.saving.get_custom_objects"),
    "serialize_keras_object": ("keras.saving.serialize_keras_object", "keras.saving.serialize_keras_object"),
    "deserialize_keras_object": ("keras.saving.deserialize_keras_object", "keras.saving.deserialize_keras_object"),
    "register_keras_serializable": ("keras.saving.register_keras_serializable",
                                    "keras.saving.register_keras_serializable"),
    "CustomObjectScope": ("keras.saving.CustomObjectScope", "keras.utils.CustomObjectScope"),
    "Progbar": ("keras.utils.Progbar", "keras.utils.Progbar"),
    "to_categorical": ("keras.utils.to_categorical", "keras.utils.to_categorical"),
    "get_file": ("keras.utils.get_file", "keras.utils.get_file"),
    "Sequence": ("keras.utils.Sequence", "keras.utils.Sequence"),
    "PyDataset": ("keras.utils.PyDataset", None),
    "obtain_input_shape": (None, None),
    "correct_pad": (None, None),
    "standardize_tuple": (None, None),
    "normalize_tuple": (None, None),
    "conv_output_length": (None, None),
    "count_params": (None, None),
    "to_snake_case": (None, None),
    "TestCase": (None, None),
}
# Keras APIs that only produce or consume plain data (paths, NumPy arrays, tf.data
# datasets, seeds, version strings): taking them from one Keras and models from the
# other combines nothing (KC403). Canonical names or prefixes ending in ".".
KERAS_DATA_ONLY_APIS = frozenset(
    {
        "keras.__version__",
        "keras.datasets.",
        "keras.utils.get_file",
        "keras.utils.to_categorical",
        "keras.utils.set_random_seed",
        # TensorFlow 1 session setters: they hand no Keras object over, and keras 2.3's
        # TensorFlow backend delegates its session to tf.keras's (tensorflow_backend.py).
        "keras.backend.set_session",
        "keras.backend.get_session",
        "keras.utils.image_dataset_from_directory",
        "keras.utils.text_dataset_from_directory",
        "keras.utils.audio_dataset_from_directory",
        "keras.utils.timeseries_dataset_from_array",
        "keras.utils.split_dataset",
        "keras.utils.pad_sequences",
        "keras.utils.load_img",
        "keras.utils.img_to_array",
        "keras.utils.array_to_img",
        "keras.utils.save_img",
        "keras.utils.Progbar",
        "keras.utils.normalize",
        "keras.preprocessing.image.load_img",
        "keras.preprocessing.image.img_to_array",
        "keras.preprocessing.image.array_to_img",
        "keras.preprocessing.image.save_img",
        "keras.preprocessing.image_dataset_from_directory",
        "keras.preprocessing.text_dataset_from_directory",
        "keras.preprocessing.timeseries_dataset_from_array",
        "keras.preprocessing.sequence.pad_sequences",
        "keras.preprocessing.image.ImageDataGenerator",
        "keras.preprocessing.text.Tokenizer",
        "keras.preprocessing.sequence.TimeseriesGenerator",
    }
)

# The parameters of a Keras 2.2-style stateful metric's `__call__` (a Layer subclass
# passed to compile(metrics=...), called as metric(y_true, y_pred)): such a class is never
# a layer of a model, so Layer.__call__'s machinery has nothing to do there (KC206).
METRIC_CALL_PARAMETERS = ("y_true", "y_pred")

# What `Layer.get_config()` / `Model.get_config()` put in every config (Keras 3.15): a
# subclass config without them loses them on reload (KC304), and an `__init__` that
# cannot take them back breaks `cls(**config)` (KC302).
BASE_CONFIG_KEYS = ("name", "trainable", "dtype")

# Base config entries a functional Model subclass (`super().__init__(inputs=..., outputs=...)`)
# has no use for: measured on Keras 3.15.1, a functional Model built with dtype="float16"
# keeps the float32 policy (the argument is ignored), and tf_keras 2.21 rejects the argument
# ("Keyword argument not understood"), so a config without it loses nothing (KC304).
FUNCTIONAL_MODEL_UNUSED_CONFIG_KEYS = frozenset({"dtype"})

# The keywords that make a Model constructor call build a functional model.
FUNCTIONAL_MODEL_ARGUMENTS = frozenset({"inputs", "outputs"})

# ---- KC305: saving a model and loading it back (begin) -----------------------------------
# The first pass (semantic/saving_facts.py) records calls by their last name; the project
# index then resolves them, so a project's own `load_model` wrapper is not Keras's (the
# Keras call inside it is recorded where it is).
SAVE_METHOD = "save"  # model.save(path): whatever the receiver, unless it is a module
SAVE_FUNCTIONS = frozenset({"keras.models.save_model", "keras.saving.save_model"})
LOAD_FUNCTIONS = frozenset({"keras.models.load_model", "keras.saving.load_model"})
# A checkpoint callback saves the whole model unless save_weights_only=True.
CHECKPOINT_CALLBACKS = frozenset({"keras.callbacks.ModelCheckpoint"})
SAVED_CALL_NAMES = frozenset({SAVE_METHOD, "save_model", "ModelCheckpoint"})
LOAD_CALL_NAME = "load_model"
# How a project tells Keras what a saved class name means: the decorator (any spelling:
# keras.saving., keras.utils., tf.keras.utils., tf_keras.), the global dict it fills,
# the scope, and the `custom_objects=` argument (of load_model, model_from_json...).
REGISTER_DECORATOR = "register_keras_serializable"
CUSTOM_OBJECTS_FUNCTION = "get_custom_objects"
CUSTOM_OBJECT_SCOPES = frozenset({"custom_object_scope", "CustomObjectScope"})
CUSTOM_OBJECTS_KEYWORD = "custom_objects"
# File formats by the saved path's end: tf_keras writes a TensorFlow SavedModel directory
# for any other path (Keras 3 refuses it: KC507).
KERAS_FILE_SUFFIXES = (".keras",)
H5_FILE_SUFFIXES = (".h5", ".hdf5")
FORMAT_KERAS, FORMAT_H5, FORMAT_DIR = "keras", "h5", "savedmodel"
SAVE_FORMATS = {"keras": FORMAT_KERAS, "h5": FORMAT_H5, "tf": FORMAT_DIR}  # tf_keras's save_format=
# Packages whose modules Keras 3 imports to find a class that is not registered
# (keras/src/saving/serialization_lib.py, _retrieve_class_or_fn): a class defined in them
# reloads without registration. tf_keras imports any class's module.
KERAS3_IMPORTED_PACKAGES = frozenset({"keras", "keras_hub", "keras_cv", "keras_nlp"})
# The homes of Keras's Loss and Metric classes (canonical prefixes): a subclass is a
# custom loss or metric, saved by name in the model's compile config.
LOSS_MODULES = ("keras.losses.", "keras.src.losses.")
METRIC_MODULES = ("keras.metrics.", "keras.src.metrics.")
# ---- KC305 (end) ---------------------------------------------------------------------------

# Functions whose result is an index, a one-hot code or a size, not features (KC102):
# a value computed by them no longer carries the input's width, and multiplying a
# weight by a one-hot code is a table lookup.
INDEX_FUNCTIONS = frozenset(
    "one_hot argmax argmin argsort top_k shape size rank range arange".split()
)
ONE_HOT_FUNCTIONS = frozenset({"one_hot"})

# Modules (canonical prefixes) whose members are plain functions: a default such as
# `activation=keras.activations.gelu` hands a callable to a constructor (KC303).
FUNCTION_MODULES = ("keras.activations.", "keras.ops.", "keras.backend.", "tensorflow.nn.", "tensorflow.math.")
# Annotations that say a constructor parameter takes a callable (KC303).
CALLABLE_ANNOTATIONS = frozenset({"typing.Callable", "collections.abc.Callable"})

# Names within the edit-distance window of MISSPELLABLE_ATTRIBUTES that are real Layer
# API or common, legitimate attribute names (KC209 never reports them).
LAYER_ATTRIBUTE_LOOKALIKES = frozenset(
    """
    build built call bias units input inputs output outputs trainable input_spec
    supports_masking untrainable retrainable
    """.split()
)

# Sequential bases (canonical names): Sequential brings its own get_config (KC303).
SEQUENTIAL_BASES = frozenset(
    {
        "keras.Sequential",
        "keras.models.Sequential",
        "keras.engine.sequential.Sequential",
        "keras.src.models.sequential.Sequential",
    }
)

# KC205: the constructor keyword that makes Embedding-like layers produce a mask, and
# layers that always produce one (MASK_PRODUCING_LAYERS lists both kinds).
MASK_ZERO_KEYWORD = "mask_zero"
ALWAYS_MASKING_LAYERS = frozenset({"Masking"})
# Raw ops (bare names under tf / keras.ops / numpy...) that reduce over the time axis and
# so mix padded steps in unless the mask is applied (KC205).
MASK_DROPPING_REDUCTIONS = frozenset(
    """
    reduce_mean reduce_sum reduce_max reduce_min reduce_prod reduce_logsumexp mean sum max
    min prod logsumexp average nanmean nansum
    """.split()
)
# Raw ops whose result, computed from masked steps, are attention scores (KC205); a
# softmax over them spreads weight over the padding.
ATTENTION_SCORE_FUNCTIONS = frozenset({"matmul", "einsum", "batch_dot", "dot", "tensordot", "bmm"})
SOFTMAX_FUNCTIONS = frozenset({"softmax", "log_softmax"})
# Raw ops that read only the shape of a tensor, not its values (KC205's data flow stops).
SHAPE_ONLY_FUNCTIONS = frozenset(
    "shape shape_n rank size ndim ones_like zeros_like zeros ones range arange".split()
)
# Top-level packages whose functions are raw tensor ops, not layers (KC205).
RAW_OP_PACKAGES = frozenset({"tensorflow", "keras", "numpy", "jax", "torch"})
# Raw ops that build a padding mask by hand from the ids (`tf.not_equal(ids, 0)`): a value
# combined with one is masked by the author (KC205).
MASK_BUILDING_FUNCTIONS = frozenset(
    "not_equal equal greater greater_equal less less_equal sequence_mask logical_not".split()
)

# ---- KC101's fix: tf.Variable(...) -> self.add_weight(...) -----------------------------------
# Tensor functions `f(shape, dtype=...)` whose call may become the initializer of
# add_weight (which calls `initializer(shape, dtype=dtype)`): the initializer to write,
# a Keras name when it is the same values, else None (pass the function itself).
TENSOR_INITIALIZER_FUNCTIONS = {
    "tensorflow.zeros": '"zeros"',
    "tensorflow.ones": '"ones"',
    "tensorflow.random.normal": None,
    "tensorflow.random.uniform": None,
    "tensorflow.random.truncated_normal": None,
}
# Modules whose classes/factories make initializer objects (`w_init = ...()`), and the
# suffix of TensorFlow's own (`tf.random_normal_initializer()`): such an object, called
# with (shape, dtype), is what add_weight's `initializer=` takes.
INITIALIZER_MODULES = ("keras.initializers.", "tensorflow.initializers.", "tensorflow.compat.v1.initializers.")
TF_INITIALIZER_SUFFIX = "_initializer"
# tf.Variable's arguments the fix can carry over to add_weight (same meaning), and its
# positional order.
TF_VARIABLE_POSITIONAL = ("initial_value", "trainable")
TF_VARIABLE_TO_ADD_WEIGHT = frozenset({"initial_value", "trainable", "name", "dtype"})
# The modules a `tf.Variable` comes from that also have `constant_initializer`.
TF_MODULES = frozenset({"tensorflow", "tensorflow.compat.v1", "tensorflow.compat.v2"})

# Backends of multi-backend Keras 2 that Keras 3 does not have (its backends: tensorflow,
# jax, torch, numpy, openvino): code under `if K.backend() == "theano":` never runs there.
KERAS2_ONLY_BACKENDS = frozenset({"theano", "cntk"})

# ---- Keras 2 -> Keras 3 (KC5xx) --------------------------------------------------------------
# Measured on keras 3.15.1 + TensorFlow 2.21 against tf_keras 2.21, as the migration table
# (kerascheck.rules.keras3.table) is, unless said otherwise.
# The 14 names keras.backend keeps.
KERAS3_BACKEND = frozenset(
    """backend clear_session epsilon floatx get_uid image_data_format is_float_dtype is_int_dtype
    is_keras_tensor result_type set_epsilon set_floatx set_image_data_format standardize_dtype""".split()
)
# Keras 2 submodules of keras.backend (KC509 reports them, not KC501).
BACKEND_SUBMODULES = frozenset({"tensorflow_backend", "theano_backend", "cntk_backend", "load_backend", "common"})
# What tf.keras.backend (the shim) lacks of Keras 2's backend.
SHIM_BACKEND_MISSING = frozenset(
    """learning_phase set_learning_phase function placeholder in_train_phase in_test_phase
    manual_variable_initialization reset_uids get_session set_session""".split()
)
# Layers Keras 3 removed; the shim keeps the last three (SHIM_ONLY_LAYERS).
REMOVED_LAYERS = frozenset({"CuDNNLSTM", "CuDNNGRU", "LocallyConnected1D", "LocallyConnected2D", "DenseFeatures",
                            "AbstractRNNCell", "ThresholdedReLU", "RandomHeight", "RandomWidth"})
SHIM_ONLY_LAYERS = frozenset({"ThresholdedReLU", "RandomHeight", "RandomWidth"})
# keras.layers on 3.15.1 (classes and the functional merge helpers).
KERAS3_LAYER_NAMES = (BUILTIN_LAYERS - REMOVED_LAYERS) | frozenset(
    "Input InputLayer InputSpec Layer add average concatenate dot maximum minimum multiply subtract".split()
)
# Optimizer classes keras.optimizers has on 3.15.1 under their keras.optimizers.legacy names.
KERAS3_OPTIMIZERS = frozenset("Adam SGD RMSprop Adagrad Adadelta Adamax Nadam Ftrl".split())
# The names keras.preprocessing.image and keras.preprocessing.sequence keep.
KERAS3_PREPROCESSING_IMAGE = frozenset({"array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"})
KERAS3_PREPROCESSING_SEQUENCE = frozenset({"pad_sequences"})
# The default learning rate of each optimizer (Keras 3.15), for KC522's fix.
DEFAULT_LEARNING_RATES = {"SGD": "0.01"}
# Public keras.layers names that are aliases of a class of another name (measured on Keras
# 3.15.1: `type(keras.layers.MaxPool2D()).__name__ == "MaxPooling2D"`); keras.optimizers
# and keras.metrics have none.
LAYER_ALIASES = {
    **{f"AvgPool{d}D": f"AveragePooling{d}D" for d in (1, 2, 3)},
    **{f"GlobalAvgPool{d}D": f"GlobalAveragePooling{d}D" for d in (1, 2, 3)},
    **{f"GlobalMaxPool{d}D": f"GlobalMaxPooling{d}D" for d in (1, 2, 3)},
    **{f"MaxPool{d}D": f"MaxPooling{d}D" for d in (1, 2, 3)},
    **{f"Convolution{d}D": f"Conv{d}D" for d in (1, 2, 3)},
    **{f"Convolution{d}DTranspose": f"Conv{d}DTranspose" for d in (1, 2, 3)},
    **{f"SeparableConvolution{d}D": f"SeparableConv{d}D" for d in (1, 2)},
    "GroupQueryAttention": "GroupedQueryAttention",
}
# The public Model class (canonical names): called with inputs, it builds a functional model.
MODEL_CLASSES = frozenset({"keras.Model", "keras.models.Model"})
# Functions that return a model (canonical names).
MODEL_FACTORIES = frozenset(
    {"keras.models.load_model", "keras.saving.load_model", "keras.models.clone_model",
     "keras.models.model_from_json", "keras.models.model_from_yaml", "keras.models.model_from_config"}
)
# The LossScaleOptimizer class, under Keras 2's mixed_precision names and Keras 3's.
LOSS_SCALE_OPTIMIZERS = frozenset(
    {"keras.mixed_precision.LossScaleOptimizer", "keras.mixed_precision.experimental.LossScaleOptimizer",
     "keras.optimizers.LossScaleOptimizer"}
)

# ---- KC404: TensorFlow's frozen copy of Keras 2.6 (`tensorflow.python.keras`) ------------------
# Its parts whose objects were measured to fail with the Keras in use (tests/affects_cases.py,
# KC404 tensorflow-python-keras-*), by the name right below `tensorflow.python.keras` and,
# under its `engine`, by module; its helpers (utils, backend, callbacks, losses) were
# measured to work.
TF_PYTHON_KERAS_LAYER_NAMES = frozenset({"layers", "legacy_tf_layers", "Layer", "Input", "InputSpec"})
TF_PYTHON_KERAS_MODEL_NAMES = frozenset({"models", "Model", "Sequential"})
TF_PYTHON_KERAS_OPTIMIZER_NAMES = frozenset({"optimizers", "optimizer_v1", "optimizer_v2"})
TF_PYTHON_KERAS_ENGINE_LAYER_MODULES = frozenset({"base_layer", "base_layer_v1", "input_layer", "input_spec"})
TF_PYTHON_KERAS_ENGINE_MODEL_MODULES = frozenset({"training", "training_v1", "sequential", "functional"})

# ==== issue 15: KC211, KC212, KC405, KC406 (begin) ==============================================
# ---- KC211: NumPy inside call() ----------------------------------------------------------------
# NumPy functions that read a tensor's static shape attribute instead of converting it
# (`np.shape(x)` asks `x.shape` first): measured to work on a symbolic tensor. Every
# other `np.*` given a tensor converts it, which a symbolic tensor refuses.
NUMPY_SHAPE_READERS = frozenset({"shape", "ndim"})
# Tensor functions whose result is a shape, a dtype or a flag, not the tensor's values:
# NumPy may take it (KC211's data flow stops there).
TENSOR_METADATA_FUNCTIONS = SHAPE_ONLY_FUNCTIONS | frozenset(
    {"int_shape", "get_shape", "is_tensor", "is_keras_tensor", "is_symbolic_tensor", "standardize_dtype"}
)
# Words in a test or a callee that mean "only when running eagerly / on concrete values":
# code under such a test, or run only after it, does not meet a symbolic tensor.
EAGER_ONLY_TESTS = (
    "executing_eagerly", "run_eagerly", "functions_run_eagerly", "is_symbolic_tensor", "is_keras_tensor",
    "EagerTensor", "ndarray", "numpy",
)
# `tf.config.run_functions_eagerly(True)` and `compile(run_eagerly=True)` make fit() and
# predict() call the model on concrete tensors.
RUN_EAGERLY_SWITCHES = frozenset({"run_functions_eagerly", "run_eagerly"})

# ---- KC212: tf.function on call() ------------------------------------------------------------
# `tf.function` (canonical qualified names of the decorator).
TF_FUNCTION = frozenset({"tensorflow.function", "tensorflow.compat.v2.function"})

# ---- KC405: names Keras 3 validates --------------------------------------------------------
# Keras objects whose `name=` Keras 3 rejects when it holds a `/` (measured on 3.15.1:
# layers, models, keras.Input, add_weight, keras.Variable, optimizers; metrics and losses
# accept it). Canonical names; built-in and in-tree layer classes are found by kind.
SLASH_CHECKED_CALLEES = INPUT_FUNCTIONS | MODEL_CLASSES | SEQUENTIAL_CLASSES | KERAS_VARIABLE
SLASH_CHECKED_MODULES = ("keras.optimizers.",)
SLASH_CHECKED_METHODS = frozenset({"add_weight", "add_variable"})

# ---- KC406: a Sequential's inputs before it is built ---------------------------------------
# Constructor keywords that give a Sequential's first layer its input (Keras 3 accepts
# `input_shape`/`input_dim` with a warning; `batch_input_shape` raises there, KC516).
SEQUENTIAL_INPUT_KEYWORDS = frozenset({"input_shape", "batch_input_shape", "input_dim"})
# ...and one that only Keras 2 honours (Keras 3 ignores it: KC514).
SEQUENTIAL_INPUT_KEYWORDS_KERAS2 = frozenset({"input_length"})
# Methods of a Sequential that do not build it (the others may: fit, predict, build, ...).
SEQUENTIAL_NON_BUILDING_METHODS = frozenset({"add", "compile", "summary", "get_layer", "pop", "count_params"})
# What an unbuilt Sequential lacks: its own `inputs`/`outputs` (its `input`/`output` are
# KC518's, which Keras 3 refuses even when built), and its layers' `input`/`output`.
SEQUENTIAL_IO = frozenset({"inputs", "outputs"})
LAYER_IO = frozenset({"input", "output"})
# ==== issue 15: KC211, KC212, KC405, KC406 (end) ================================================
