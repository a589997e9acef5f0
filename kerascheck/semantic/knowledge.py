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

# Public layer attributes whose misspelling is a silent no-op (KC209).
MISSPELLABLE_ATTRIBUTES = ("supports_masking", "trainable", "input_spec", "built")
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
